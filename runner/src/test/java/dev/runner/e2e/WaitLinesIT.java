package dev.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.report.WaitNotice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent waits, end to end: {@code runner exec} as a process, a tool call that sleeps 12 s and then a model turn
 * the emulator holds 12 s. Past {@link WaitNotice#FIRST} (10 s) stderr names each wait once; the next line would be
 * due {@link WaitNotice#REPEAT} (30 s) later, after both waits ended, so exactly one line each.
 */
class WaitLinesIT {
  static final Path LAUNCHER = Path.of(System.getProperty("runner.launcher"));

  @TempDir
  Path dir;

  @Test
  void aLongToolCallAndASilentModelAreNamedOnStderrOnceEach() throws Exception {
    Path scenario = dir.resolve("scenario.json");
    Files.writeString(scenario, """
        {"turns":[{"shell":"sleep 12"},{"text":"done","latency_ms":12000}]}
        """);
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withPort(0)
        .withRequireAuth(false).withScenario(scenario.toString()))) {
      String p = "model_providers.emu.";
      ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "exec", "--provider", "emu", "-c",
          p + "base_url=" + emulator.baseUrl(), "-c", p + "supports_websockets=true", "-s", "danger-full-access",
          "--skip-git-repo-check", "wait for it").directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.put("CODEX_HOME", dir.resolve("codex").toString());
      env.put("RUNNER_HOME", dir.resolve("runner").toString());
      env.remove("RUNNER_LOG");
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(dir.resolve("out.txt").toFile());
      pb.redirectError(dir.resolve("err.txt").toFile());
      Process run = pb.start();
      assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run finished within 120 s").isTrue();
      String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
      assertThat(run.exitValue()).as(err).isZero();
      assertThat(Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8)).contains("done");

      List<String> tool = err.lines().filter(l -> l.contains("still running")).toList();
      assertThat(tool).as(err).hasSize(1);
      assertThat(tool.get(0)).matches("\\[turn 1\\] still running: sleep 12 \\(1[0-2] s\\)");
      List<String> model = err.lines().filter(l -> l.contains("waiting for the model")).toList();
      assertThat(model).as(err).hasSize(1);
      assertThat(model.get(0)).matches("\\[turn 2\\] waiting for the model: no event for 1[0-2] s");
    }
  }
}
