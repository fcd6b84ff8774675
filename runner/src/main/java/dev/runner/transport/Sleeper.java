package dev.runner.transport;

import java.time.Duration;

/** Waits between retries. Injected so tests observe backoffs without waiting. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(d);

  void sleep(Duration duration) throws InterruptedException;
}
