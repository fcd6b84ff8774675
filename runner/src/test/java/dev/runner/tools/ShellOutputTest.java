package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShellOutputTest {
  @Test
  void wallTimeIsRoundedToTenthsOfASecond() {
    assertThat(ShellOutput.format(0, Duration.ofMillis(3), false, 1, "x"))
        .isEqualTo("Exit code: 0\nWall time: 0.0 seconds\nOutput:\nx");
    assertThat(ShellOutput.format(2, Duration.ofMillis(1250), false, 1, ""))
        .startsWith("Exit code: 2\nWall time: 1.3 seconds\n");
    assertThat(ShellOutput.format(0, Duration.ofSeconds(61, 940_000_000), false, 1, ""))
        .contains("Wall time: 61.9 seconds\n");
    assertThat(ShellOutput.format(0, Duration.ofMillis(999_960), false, 1, ""))
        .contains("Wall time: 1000.0 seconds\n");
  }

  @Test
  void cutOutputNamesTheTotalLineCount() {
    assertThat(ShellOutput.format(1, Duration.ofMillis(100), true, 42, "a…b"))
        .isEqualTo("Exit code: 1\nWall time: 0.1 seconds\nTotal output lines: 42\nOutput:\na…b");
  }
}
