package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.ExitCode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dead stream is declared within the documented bound: a response that stalls mid-stream (after its first output
 * item) on every try ends the run with exit 5 after 1 + {@code stream_max_retries} tries of {@code
 * stream_idle_timeout_ms} each, never sooner, and long before {@code --timeout}. The older guard, {@code
 * FaultExitMatrixTest} ({@code stall@*}: exit 5 on both transports), checks the code but not the bound.
 */
class StreamIdleBoundTest {
  static final long IDLE_MS = 500;
  static final int RETRIES = 2;

  @TempDir
  Path home;

  @TempDir
  Path workspace;

  @ParameterizedTest
  @ValueSource(strings = {"http", "websocket"})
  void aStreamThatStallsMidResponseIsDeadAfterIdleTimesTries(String transport) throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1")
        .withFaults("stall@*"))) {
      Files.createDirectories(home.resolve("runner"));
      Files.writeString(home.resolve("runner/config.toml"), """
          [model_providers.local]
          base_url = "%s"
          env_key = "LOCAL_EMULATOR_KEY"
          supports_websockets = true
          stream_idle_timeout_ms = %d
          stream_max_retries = %d
          """.formatted(emulator.baseUrl(), IDLE_MS, RETRIES));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("CODEX_HOME", home.resolve("codex").toString());
      env.put("RUNNER_HOME", home.resolve("runner").toString());
      env.put("LOCAL_EMULATOR_KEY", "local-key");
      env.remove("RUNNER_LOG");
      long start = System.nanoTime();
      CliRun r = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--provider", "local",
          "--skip-git-repo-check", "--transport", transport, "-s", "danger-full-access", "--timeout", "2m",
          "list the steps");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.TIMEOUT.code());
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).contains("within the stream idle timeout after " + RETRIES + " retries")
          .contains("stream_idle_timeout_ms");
      // 1 + stream_max_retries tries, as the runner counts them (its summary) and never more as the server saw them:
      // a try's idle timer runs from its start, so on a loaded machine a try can time out before its request arrives
      assertThat(r.err()).contains("connections").containsPattern("fallback\\(s\\), " + RETRIES + " retries");
      assertThat(emulator.stats().faultsInjected()).as(r.err() + emulator.stats()).isBetween(1L, RETRIES + 1L);
      // each try waited out the idle timeout in full; the end came with the bound (plus backoffs), not --timeout
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(IDLE_MS * (RETRIES + 1)))
          .isLessThan(Duration.ofSeconds(60));
    }
  }
}
