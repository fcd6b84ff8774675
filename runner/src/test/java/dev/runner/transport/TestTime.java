package dev.runner.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real time plus whatever the sleeper "slept": backoffs are recorded and skipped, deadlines still see them. */
public final class TestTime extends Clock implements Sleeper {
  public final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private volatile Duration offset = Duration.ZERO;

  @Override
  public void sleep(Duration d) {
    sleeps.add(d);
    advance(d);
  }

  public void advance(Duration d) {
    offset = offset.plus(d);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
