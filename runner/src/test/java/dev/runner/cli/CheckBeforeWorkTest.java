package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flags that can only fail at the end of a run are checked before it starts: exit 2, and the embedded emulator's
 * scenario is never asked (no progress line, no summary).
 */
class CheckBeforeWorkTest {
  @TempDir
  Path dir;

  CliRun exec(String... flags) throws Exception {
    Files.createDirectories(dir.resolve(".git"));
    Map<String, String> env = new HashMap<>();
    env.put("RUNNER_HOME", dir.resolve("home").toString());
    List<String> args = new java.util.ArrayList<>(List.of("exec", "--provider", "emulator", "-s",
        "danger-full-access", "-c", "emulator.scenario=tools:1"));
    args.addAll(List.of(flags));
    args.add("hi");
    return CliRun.of(CliRun.environment(env, dir, dir.resolve("home")), args.toArray(String[]::new));
  }

  @Test
  void anOutputFileInAFolderThatIsNotThereIsAUsageErrorBeforeTheRun() throws Exception {
    CliRun run = exec("-o", "/proc/nope/out.json");
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("-o /proc/nope/out.json cannot be written: folder /proc does not take new files")
        .doesNotContain("[turn", "done in");
  }

  @Test
  void metricsNamingADirectoryIsAUsageErrorBeforeTheRun() throws Exception {
    CliRun run = exec("--metrics", dir.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("--metrics " + dir + " is a directory").doesNotContain("[turn", "done in");
  }

  @Test
  void outOfRangeNumbersAreUsageErrorsNamingTheFlag() throws Exception {
    assertThat(exec("--max-turns", "0").err()).contains("--max-turns 0 is out of range: it must be at least 1");
    assertThat(exec("--schema-retries", "-1").err()).contains("--schema-retries -1 is out of range");
    assertThat(exec("--timeout", "0s").exit()).isEqualTo(2);
  }
}
