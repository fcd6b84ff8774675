package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.runner.config.TransportMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI surface in-process: help, exit codes and error mapping. */
class CliTest {
  static CliRun run(Map<String, String> env, String... args) {
    return CliRun.of(CliRun.environment(env, Path.of("."), Path.of("/nonexistent-home")), args);
  }

  @Test
  void execHelpListsEveryCodexFlagAndTheExitCodes() {
    CliRun r = run(Map.of(), "exec", "--help");
    assertThat(r.exit()).isZero();
    for (String flag : new String[]{"--model", "--profile", "--config", "--cd", "--sandbox", "--full-auto",
        "--skip-git-repo-check", "--output-schema", "--json", "--output-last-message", "--ephemeral", "--provider",
        "--transport", "--timeout", "--max-turns", "--metrics", "--metrics-format", "--verbose", "--quiet"}) {
      assertThat(r.out()).as(flag).contains(flag);
    }
    for (ExitCode c : ExitCode.values()) {
      assertThat(r.out()).contains(c.meaning());
    }
  }

  @Test
  void unknownOptionIsExit2WithOneLineAndAHint() {
    CliRun r = run(Map.of(), "exec", "--no-such-flag", "task");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--no-such-flag").contains("hint: see 'runner exec --help'");
  }

  @Test
  void badSandboxValueNamesTheChoices() {
    CliRun r = run(Map.of(), "exec", "-s", "yolo", "task");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("read-only, workspace-write or danger-full-access");
  }

  @Test
  void versionAndCompletion() {
    assertThat(run(Map.of(), "--version").out()).startsWith("runner ");
    CliRun completion = run(Map.of(), "completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.out()).contains("complete -F").contains("exec");
  }

  @Test
  void exceptionsMapToTheirExitCodes() {
    ExitCodes mapper = new ExitCodes();
    assertThat(mapper.getExitCode(RunnerException.usage("x", null))).isEqualTo(2);
    assertThat(mapper.getExitCode(RunnerException.taskFailed("x", null))).isEqualTo(1);
    assertThat(mapper.getExitCode(RunnerException.schemaViolation("x", null))).isEqualTo(3);
    assertThat(mapper.getExitCode(RunnerException.transport("x", null, null))).isEqualTo(4);
    assertThat(mapper.getExitCode(RunnerException.timeout("x", null))).isEqualTo(5);
    assertThat(mapper.getExitCode(new IllegalStateException(RunnerException.timeout("wrapped", null)))).isEqualTo(5);
    assertThat(mapper.getExitCode(new IllegalStateException("bug"))).isEqualTo(1);
  }

  @Test
  void errorsAreRedacted() {
    String secret = "sk-test-SENTINEL-0123456789";
    ErrorReporter reporter = new ErrorReporter(new Environment(Map.of("OPENAI_API_KEY", secret),
        new ByteArrayInputStream(new byte[0]), true, Path.of("."), Path.of("."), 0));
    CommandLine cl = RunnerCommand.commandLine(new Environment(Map.of(), new ByteArrayInputStream(new byte[0]), true,
        Path.of("."), Path.of("."), 0));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int code = reporter.handleExecutionException(RunnerException.transport("header was Bearer " + secret,
        "key " + secret, null), cl, null);
    assertThat(code).isEqualTo(4);
    assertThat(err.toString()).doesNotContain(secret).contains("[REDACTED]");
  }

  @Test
  void aPathOptionThatIsNoPathIsAUsageErrorThatSaysWhy() {
    CliRun r = run(Map.of(), "exec", "--metrics", "metrics\u0000.json", "task");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--metrics").contains("is not a usable path (Nul character not allowed)");
  }

  @Test
  void aRunBuildsOnlyItsOwnSubcommandWhileHelpAndUnknownNamesSeeThemAll() {
    Environment env = new Environment(Map.of(), new ByteArrayInputStream(new byte[0]), true, Path.of("."),
        Path.of("."), 0);
    assertThat(RunnerCommand.commandLine(env, "exec").getSubcommands().keySet()).containsExactly("exec");
    assertThat(RunnerCommand.commandLine(env, "emulator").getSubcommands().keySet()).containsExactly("emulator");
    assertThat(RunnerCommand.commandLine(env, "batch").getSubcommands().keySet()).containsExactly("batch");
    for (String first : new String[]{"help", "completion", "", "bogus", "--help"}) {
      assertThat(RunnerCommand.commandLine(env, first).getSubcommands().keySet()).as(first)
          .containsExactly("exec", "batch", "merge", "config", "emulator", "completion", "train-aot", "help");
    }
    assertThat(run(Map.of(), "help", "exec").out()).contains("--output-schema");
    assertThat(run(Map.of(), "--help").out()).contains("exec").contains("emulator").doesNotContain("train-aot");
  }

  @Test
  void execsModelInCodeSetsEveryFieldAsItsFlagsSay() {
    Environment env = CliRun.environment(Map.of(), Path.of("."), Path.of("."));
    CommandLine cl = RunnerCommand.commandLine(env, "exec");
    cl.parseArgs("exec", "-m", "m1", "-p", "prof", "-c", "a=1", "--config", "b=2", "--provider", "emulator",
        "--transport", "WebSocket", "--strict-config", "-C", "dir", "-s", "workspace-write", "--full-auto",
        "--skip-git-repo-check", "--output-schema", "s.json", "--json", "-o", "last.txt", "--ephemeral",
        "--timeout", "1h30m", "--max-turns", "7", "--schema-retries", "0", "--metrics", "m.prom",
        "--metrics-format", "PROMETHEUS", "-vv", "-q", "the task");
    ExecCommand exec = cl.getSubcommands().get("exec").getCommand();

    assertThat(exec.prompt).isEqualTo("the task");
    ConfigOptions c = exec.configOptions;
    assertThat(List.of(c.model, c.profile, c.provider)).containsExactly("m1", "prof", "emulator");
    assertThat(c.overrides).containsExactly("a=1", "b=2");
    assertThat(c.transport).isEqualTo(TransportMode.WEBSOCKET);
    assertThat(c.strictConfig).isTrue();
    assertThat(exec.workingDirectory).isEqualTo(Path.of("dir"));
    assertThat(exec.sandbox).isEqualTo(ExecCommand.SandboxMode.WORKSPACE_WRITE);
    assertThat(List.of(exec.fullAuto, exec.skipGitRepoCheck, exec.json, exec.ephemeral)).containsOnly(true);
    assertThat(exec.outputSchema).isEqualTo(Path.of("s.json"));
    assertThat(exec.outputLastMessage).isEqualTo(Path.of("last.txt"));
    assertThat(exec.timeout).isEqualTo(Duration.ofMinutes(90));
    assertThat(List.of(exec.maxTurns, exec.schemaRetries)).containsExactly(7, 0);
    assertThat(exec.metrics).isEqualTo(Path.of("m.prom"));
    assertThat(exec.metricsFormat).isEqualTo(ExecCommand.MetricsFormat.prometheus);
    assertThat(exec.logging.verbose).hasSize(2);
    assertThat(exec.logging.quiet).isTrue();
  }

  @Test
  void execsDefaultsAreThoseOfItsFields() {
    Environment env = CliRun.environment(Map.of(), Path.of("."), Path.of("."));
    CommandLine cl = RunnerCommand.commandLine(env, "exec");
    cl.parseArgs("exec");
    ExecCommand exec = cl.getSubcommands().get("exec").getCommand();

    assertThat(exec.prompt).isNull();
    assertThat(exec.configOptions.overrides).isEmpty();
    assertThat(exec.metricsFormat).isEqualTo(ExecCommand.MetricsFormat.json);
    assertThat(exec.logging.verbose).isEmpty();
    assertThat(List.of(exec.fullAuto, exec.json, exec.logging.quiet, exec.configOptions.strictConfig))
        .containsOnly(false);
    assertThat(exec.sandbox).isNull();
    assertThat(exec.spec.commandLine()).isSameAs(cl.getSubcommands().get("exec"));
  }

  @Test
  void theExecPathReadsNoAnnotations() {
    // picocli's annotation-driven models would have made the JVM generate proxy classes for its annotation types
    Environment env = CliRun.environment(Map.of(), Path.of("."), Path.of("."));
    CommandLine cl = RunnerCommand.commandLine(env, "exec");
    assertThat(cl.getCommandSpec().userObject()).isInstanceOf(RunnerCommand.class);
    assertThat(RunnerCommand.class.getDeclaredAnnotations()).isEmpty();
    assertThat(ExecCommand.class.getDeclaredAnnotations()).isEmpty();
    for (Class<?> type : List.of(RunnerCommand.class, ExecCommand.class, ConfigOptions.class, LoggingOptions.class)) {
      for (java.lang.reflect.Field f : type.getDeclaredFields()) {
        assertThat(f.getDeclaredAnnotations()).as(f.toString()).isEmpty();
      }
    }
    assertThat(run(Map.of(), "exec", "--version").out()).startsWith("runner ");
  }

  @Test
  void theFactoryMakesCollectionsAndPlainObjectsWithoutPicocliDefaults() throws Exception {
    CommandFactory factory = new CommandFactory(CliRun.environment(Map.of(), Path.of("."), Path.of(".")));
    assertThat(factory.create(java.util.List.class)).isInstanceOf(java.util.ArrayList.class);
    assertThat(factory.create(java.util.SortedSet.class)).isInstanceOf(java.util.TreeSet.class);
    assertThat(factory.create(java.util.Set.class)).isInstanceOf(java.util.LinkedHashSet.class);
    assertThat(factory.create(java.util.Map.class)).isInstanceOf(java.util.LinkedHashMap.class);
    assertThat(factory.create(ExecCommand.class)).isNotNull();
    assertThat(factory.create(VersionProvider.class).getVersion()).isNotEmpty();
  }
}
