package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.metrics.StartPoint;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The start-up metric's zero point. */
class LaunchTimeTest {
  @Test
  void theLauncherStampIsReadInEitherDecimalSeparator() {
    assertThat(LaunchTime.parse("1733590000.123456")).isEqualTo(1_733_590_000_123L);
    assertThat(LaunchTime.parse("1733590000,5")).isEqualTo(1_733_590_000_500L);
    assertThat(LaunchTime.from("1733590000.123456")).isEqualTo(new StartPoint(1_733_590_000_123L, "launcher"));
  }

  @Test
  void withoutAStampTheJvmStartIsUsedNotTheForkTime() {
    for (String bad : new String[]{null, "", "abc", "12.x", "-5.0", ".5", "99999999999999.0"}) {
      assertThat(LaunchTime.parse(bad)).as(bad).isZero();
      assertThat(LaunchTime.from(bad))
          .as(bad)
          .isEqualTo(new StartPoint(ManagementFactory.getRuntimeMXBean().getStartTime(), "jvm"));
    }
  }
}
