package dev.runner.cli;

import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs an action once, when the run's first request has gone out. */
final class OnFirstRequest implements TransportListener {
  private final Runnable action;
  private final AtomicBoolean done = new AtomicBoolean();

  OnFirstRequest(Runnable action) {
    this.action = action;
  }

  @Override
  public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
    if (done.compareAndSet(false, true)) {
      action.run();
    }
  }
}
