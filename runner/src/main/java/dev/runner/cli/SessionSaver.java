package dev.runner.cli;

import dev.runner.loop.LoopListener;
import dev.runner.protocol.Item;
import dev.runner.session.SessionStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Saves the run's conversation when the loop ends (also after a failure, so that it can be resumed). */
final class SessionSaver implements LoopListener {
  private final SessionStore store;
  private final SessionStart session;
  private final SessionStore.Meta meta;
  private final Instant started;
  private final PrintWriter err;

  SessionSaver(SessionStore store, SessionStart session, SessionStore.Meta meta, Instant started, PrintWriter err) {
    this.store = store;
    this.session = session;
    this.meta = meta;
    this.started = started;
    this.err = err;
  }

  @Override
  public void conversationEnded(List<Item> items) {
    try {
      store.save(session.file(), meta, started, items);
    } catch (UncheckedIOException e) {
      // the answer matters more than its record: say so and let the run finish
      err.println("runner: warning: " + e.getMessage() + "; this session cannot be resumed");
    }
  }
}
