package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The end of a run closes the command host on another thread while it writes its reports. */
class BackgroundCloseTest {
  @Test
  void runsTheCleanUpOnceOnItsOwnThreadAndWaitsForIt() {
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<String> thread = new AtomicReference<>();
    BackgroundClose close = new BackgroundClose("test-close", () -> {
      runs.incrementAndGet();
      thread.set(Thread.currentThread().getName());
    });

    close.start();
    close.start();

    assertThat(close.await(Duration.ofSeconds(10))).isTrue();
    assertThat(close.await(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).hasValue(1);
    assertThat(thread).hasValue("test-close");
  }

  @Test
  void awaitStartsTheCleanUpWhenNothingElseDid() {
    AtomicInteger runs = new AtomicInteger();
    BackgroundClose close = new BackgroundClose("test-close", runs::incrementAndGet);

    assertThat(close.await(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).hasValue(1);
  }

  @Test
  void theCallerWorksWhileTheCleanUpRuns() throws InterruptedException {
    CountDownLatch callerDone = new CountDownLatch(1);
    AtomicReference<Boolean> sawCaller = new AtomicReference<>();
    BackgroundClose close = new BackgroundClose("test-close", () -> {
      try {
        sawCaller.set(callerDone.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    close.start();
    callerDone.countDown(); // would never be reached if start() ran the clean-up on this thread

    assertThat(close.await(Duration.ofSeconds(10))).isTrue();
    assertThat(sawCaller).hasValue(true);
  }

  @Test
  void aCleanUpThatHangsIsGivenUpAfterTheLimit() {
    CountDownLatch release = new CountDownLatch(1);
    BackgroundClose close = new BackgroundClose("test-close", () -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      long start = System.nanoTime();
      assertThat(close.await(Duration.ofMillis(50))).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailureOfTheCleanUpReachesTheCaller() {
    BackgroundClose close = new BackgroundClose("test-close", () -> {
      throw new IllegalStateException("host would not die");
    });

    assertThatThrownBy(() -> close.await(Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class)
        .hasMessage("host would not die");
  }

  @Test
  void anInterruptDoesNotCutTheWaitShortAndIsKept() {
    BackgroundClose close = new BackgroundClose("test-close", () -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread.currentThread().interrupt();
    try {
      assertThat(close.await(Duration.ofSeconds(10))).isTrue();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
