package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom provider whose key lives in a variable with no secret-looking name, an emulator that requires it, debug
 * logging everywhere: the key must not appear in stdout, stderr, the JSONL events, the metrics file or the log.
 */
class SecretsNeverLeakTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void theKeyAppearsNowhere(String transport) throws Exception {
    String sentinel = "rk-" + UUID.randomUUID();
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"))) {
      Path home = dir.resolve("home");
      Files.createDirectories(home);
      Files.writeString(home.resolve("config.toml"), """
          model_provider = "local"
          [model_providers.local]
          base_url = "%s"
          env_key = "LLM_CREDENTIAL"
          supports_websockets = true
          """.formatted(emulator.baseUrl()));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", dir.resolve("none").toString());
      env.put("LLM_CREDENTIAL", sentinel);
      env.put("RUNNER_LOG", "trace");
      Path metrics = dir.resolve("m.json");
      CliRun run = CliRun.of(CliRun.environment(env, dir, dir), "exec", "--json", "--skip-git-repo-check", "-s",
          "danger-full-access", "--transport",
          transport, "--metrics", metrics.toString(), "go");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(emulator.stats().httpRequests() + emulator.stats().websocketRequests()).isPositive();
      assertThat(run.err()).contains("DEBUG transport");
      assertThat(run.out()).contains("turn.completed").doesNotContain(sentinel);
      assertThat(run.err()).doesNotContain(sentinel);
      assertThat(Files.readString(metrics)).doesNotContain(sentinel);
    }
  }
}
