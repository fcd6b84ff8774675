package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The start-up metric's zero point. */
class ProcessStartTest {
  @Test
  void theProcessStartIsBeforeTheJvmStartAndCloseToIt() {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long processStart = ProcessStart.epochMillis();
    // the fork comes before the JVM's own clock starts; a clock tick (10 ms) of rounding either way
    assertThat(processStart).isLessThanOrEqualTo(jvmStart + 20);
    // surefire forks this JVM directly: nothing runs for seconds between fork and JVM start
    assertThat(jvmStart - processStart).isLessThan(5_000);
  }
}
