package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every numeric (and duration) option of every sub-command, found by walking picocli's model so a new flag is covered
 * without editing this test, fed 0, -1, a value just past int, a large one and a non-number: each ends as a success
 * or a usage error (exit 2) that names the flag, never as an unexpected error with a Java exception in it.
 */
class EveryNumericFlagTest {
  private static final Set<Class<?>> NUMERIC = Set.of(int.class, Integer.class, long.class, Long.class, short.class,
      Short.class, double.class, Double.class, float.class, Float.class, Duration.class);
  /** Sub-commands with no numeric options, or that only print. */
  private static final Set<String> SKIPPED = Set.of("help", "completion", "train-aot", "config", "merge");
  private static final List<String> VALUES = List.of("0", "-1", "99999", "2147483648", "x");

  @TempDir
  Path dir;

  static Stream<Arguments> cases() {
    CommandLine root = RunnerCommand.commandLine(CliRun.environment(Map.of(), Path.of("."), Path.of(".")));
    List<Arguments> all = new ArrayList<>();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      if (SKIPPED.contains(sub.getKey())) {
        continue;
      }
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        if (NUMERIC.contains(option.type())) {
          for (String value : VALUES) {
            // a valid --exit-after serves for real (99999 s is 27 hours): only its refusals are cases here
            boolean servesForReal = option.longestName().equals("--exit-after") && !value.startsWith("-")
                && !value.equals("x");
            if (!servesForReal) {
              all.add(Arguments.of(sub.getKey(), option.longestName(), value));
            }
          }
        }
      }
    }
    // the walk must find the flags the issue names, or it walks nothing
    assertThat(all).extracting(a -> a.get()[0] + " " + a.get()[1])
        .contains("exec --max-turns", "exec --schema-retries", "exec --timeout", "emulator --port",
            "batch --concurrency");
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  // a guard, not a measurement: a value that makes a command hang must fail here rather than stall the build
  @org.junit.jupiter.api.Timeout(120)
  void everyValueIsASuccessOrAUsageErrorNeverACrash(String command, String option, String value) throws Exception {
    Files.createDirectories(dir.resolve(".git"));
    Files.writeString(dir.resolve("tasks.jsonl"), "{\"id\":\"a\",\"prompt\":\"hi\"}\n");
    List<String> args = new ArrayList<>(List.of(command));
    switch (command) {
      case "exec" -> args.addAll(List.of("--provider", "emulator", "-s", "danger-full-access", "-c",
          "emulator.scenario=echo"));
      // a copy: the folder's .git is a bare marker for exec's repository check, not a repository to make worktrees of
      case "batch" -> args.addAll(List.of("--provider", "emulator", "-s", "danger-full-access", "--workspace", "copy",
          "--results", dir.resolve("results.jsonl").toString()));
      case "emulator" -> {
        if (!option.equals("--exit-after")) {
          args.addAll(List.of("--exit-after", "10ms"));
        }
      }
      default -> {
      }
    }
    args.addAll(List.of(option, value));
    switch (command) {
      case "exec" -> args.add("hi");
      case "batch" -> args.add("tasks.jsonl");
      default -> {
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("RUNNER_HOME", dir.resolve("home").toString());
    CliRun run = CliRun.of(CliRun.environment(env, dir, dir.resolve("home")), args.toArray(String[]::new));
    String all = String.join(" ", args) + " -> " + run.exit() + "\n" + run.err();
    assertThat(run.err()).as(all).doesNotContain("unexpected error", "Exception", "report it", "java.");
    assertThat(run.exit()).as(all).isIn(0, 2);
    if (run.exit() == 2) {
      assertThat(run.err()).as(all).contains(option);
    }
  }
}
