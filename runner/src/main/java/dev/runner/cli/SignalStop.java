package dev.runner.cli;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.loop.RunStop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into an orderly stop of one run. Without it the JVM starts its shutdown on the signal while
 * the run thread goes on: the killed tool's output went to the model, more requests went out, and an answer could
 * still reach stdout. With it, the first signal marks the run stopped (the loop starts no request and no tool after
 * that), interrupts the run thread (which ends a wait on the stream) and runs the stop actions (killing the tools);
 * the run then ends through its normal exit path with 130 or 143, so the transport closes and one line is printed.
 * A second signal ends the process at once, for the case where something did not stop.
 *
 * <p>The answer is {@link #commit committed} before it is printed: a signal after that no longer stops the run (its
 * output is complete and the exit is near), so stdout and {@code -o} are either written in full with exit 0, or not at
 * all with 130/143.
 */
final class SignalStop implements RunStop, AutoCloseable {
  private static final String COMMITTED = "committed";

  private final Thread runThread;
  private final List<Runnable> actions = new ArrayList<>();
  /** null while running; then {@link #COMMITTED} or the signal's name ("INT", "TERM"). */
  private final AtomicReference<String> state = new AtomicReference<>();
  private final List<Installed> previous = new ArrayList<>();
  /** Counted down when the stop actions have run: the process must not exit while they still kill things. */
  private final java.util.concurrent.CountDownLatch actionsDone = new java.util.concurrent.CountDownLatch(1);
  private static final java.time.Duration ACTIONS_LIMIT = java.time.Duration.ofSeconds(10);

  private record Installed(Signal signal, SignalHandler handler) {}

  private SignalStop(Thread runThread) {
    this.runThread = runThread;
  }

  /** Handles SIGINT and SIGTERM for the calling thread's run until {@link #close}. */
  static SignalStop install() {
    SignalStop stop = new SignalStop(Thread.currentThread());
    for (String name : new String[]{"INT", "TERM"}) {
      try {
        Signal signal = new Signal(name);
        stop.previous.add(new Installed(signal, Signal.handle(signal, stop::handle)));
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal for itself (-Xrs, or a platform without it): its default handling stays
      }
    }
    return stop;
  }

  /** Runs {@code action} (on the signal's thread) when a stop is requested; actions must be bounded. */
  synchronized void onStop(Runnable action) {
    actions.add(action);
  }

  private void handle(Signal signal) {
    String name = signal.getName();
    if (!state.compareAndSet(null, name)) {
      if (!COMMITTED.equals(state.get())) {
        // a second signal while stopping: the user does not want to wait for the orderly stop
        Runtime.getRuntime().halt(codeOf(state.get()).code());
      }
      return;
    }
    runThread.interrupt();
    List<Runnable> toRun;
    synchronized (this) {
      toRun = List.copyOf(actions);
    }
    try {
      for (Runnable action : toRun) {
        try {
          action.run();
        } catch (RuntimeException e) {
          // the others still run: each frees something of its own
        }
      }
    } finally {
      actionsDone.countDown();
    }
  }

  /** True once a signal asked the run to stop. */
  boolean stopped() {
    String s = state.get();
    return s != null && !COMMITTED.equals(s);
  }

  /**
   * Called before the answer is written: true when the run may write it (no signal came, and none will stop the run
   * any more); false when a signal came first.
   */
  boolean commit() {
    return state.compareAndSet(null, COMMITTED) || COMMITTED.equals(state.get());
  }

  @Override
  public void check() {
    if (stopped()) {
      throw exception();
    }
  }

  /** The exception that ends a stopped run: exit 130 or 143 and the one line that says why. */
  RunnerException exception() {
    String s = state.get();
    ExitCode code = codeOf(s);
    return RunnerException.interrupted(code, "stopped by SIG" + s + " (exit " + code.code()
        + "): no new request or tool call was started, running tools were killed, no answer was written");
  }

  private static ExitCode codeOf(String signal) {
    return "INT".equals(signal) ? ExitCode.SIGINT : ExitCode.SIGTERM;
  }

  /** Puts the previous handlers back and clears an interrupt this stop left on the run thread. */
  @Override
  public void close() {
    for (Installed i : previous) {
      Signal.handle(i.signal(), i.handler());
    }
    if (stopped()) {
      if (Thread.currentThread() == runThread) {
        Thread.interrupted();
      }
      // the run thread got here by the interrupt while the signal's thread may still be killing tools and MCP
      // servers' sessions; the exit that follows would cut that short (the signal thread is no shutdown hook)
      try {
        actionsDone.await(ACTIONS_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
