package dev.runner.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One clean-up run on its own thread, so that the caller can write its answer and reports meanwhile: the shell's
 * command host takes about as long to end its jobs, its session's leftovers and itself as the rest of a run's ending
 * together.
 */
final class BackgroundClose {
  private final String name;
  private final Runnable close;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  BackgroundClose(String name, Runnable close) {
    this.name = name;
    this.close = close;
  }

  /** Starts the clean-up; calls after the first do nothing. */
  void start() {
    if (started.compareAndSet(false, true)) {
      Thread.ofPlatform().name(name).start(() -> {
        try {
          close.run();
          done.complete(null);
        } catch (Throwable t) {
          done.completeExceptionally(t);
        }
      });
    }
  }

  /**
   * Starts the clean-up if needed and waits for it at most {@code limit}, an interrupt included (the flag is set again
   * afterwards). A runtime exception or error from the clean-up is rethrown here.
   *
   * @return false when it did not finish within {@code limit}
   */
  boolean await(Duration limit) {
    start();
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return true;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException e) {
          return false;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(name + " failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
