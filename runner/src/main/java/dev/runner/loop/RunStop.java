package dev.runner.loop;

/**
 * A request from outside to stop the run (a signal). The loop asks before every model request and before every tool
 * call, so once a stop is requested no new request goes out and no new tool starts; the stop's own owner ends what
 * is already running (it interrupts the waiting thread and kills the tools).
 */
@FunctionalInterface
public interface RunStop {
  /** A run nobody stops from outside. */
  RunStop NEVER = () -> {};

  /** Returns when the run may go on; throws the exception that ends the run once a stop was requested. */
  void check();
}
