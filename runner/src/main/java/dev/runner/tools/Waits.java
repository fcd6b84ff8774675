package dev.runner.tools;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for clean-up paths, which must finish even when the thread was interrupted. */
final class Waits {
  private Waits() {}

  /**
   * The value of {@code future} if it completes normally within {@code limit}, else null. An
   * interrupt does not cut the wait short; the thread's interrupt flag is set again afterwards.
   */
  static <T> T quietly(CompletableFuture<T> future, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException | TimeoutException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
