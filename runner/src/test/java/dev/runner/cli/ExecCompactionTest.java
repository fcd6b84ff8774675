package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model_auto_compact_token_limit} end to end: {@code runner exec} in-process against an emulator this test
 * starts (so its stats can be read), over both transports. Compaction must not change the answer.
 */
class ExecCompactionTest {
  /** A task long enough that the first turn already passes the limits below. */
  static final String TASK = "Summarize. " + "This sentence pads the task so the context grows. ".repeat(120);

  @TempDir
  Path home;

  @TempDir
  Path workspace;

  RunningEmulator emulator;
  Path schema;

  @BeforeEach
  void setUp() throws Exception {
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withScenario("tools:6"));
    schema = Path.of(System.getProperty("runner.projectDir"), "schemas", "examples", "repo-summary.json");
    Files.createDirectories(home.resolve("runner"));
    Files.writeString(home.resolve("runner/config.toml"), """
        [model_providers.local]
        base_url = "%s"
        env_key = "LOCAL_EMULATOR_KEY"
        supports_websockets = true
        """.formatted(emulator.baseUrl()));
  }

  @AfterEach
  void tearDown() {
    emulator.close();
  }

  CliRun exec(String transport, String... extra) {
    emulator.reset();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("LOCAL_EMULATOR_KEY", "local-key");
    env.remove("RUNNER_LOG");
    List<String> all = new ArrayList<>(List.of("exec", "--provider", "local", "--skip-git-repo-check", "-s",
        "danger-full-access", "--transport", transport, "--output-schema", schema.toString()));
    all.addAll(List.of(extra));
    all.add(TASK);
    return CliRun.of(CliRun.environment(env, workspace, home), all.toArray(String[]::new));
  }

  @Test
  void overWebSocketTheServiceCompactsAndTheAnswerIsUnchanged() throws Exception {
    CliRun plain = exec("websocket");
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(emulator.stats().compactions()).isZero();

    Path metrics = home.resolve("ws.json");
    CliRun compacted = exec("websocket", "-c", "model_auto_compact_token_limit=1500", "--metrics", metrics.toString());
    assertThat(compacted.exit()).as(compacted.err()).isZero();
    assertThat(compacted.out()).isEqualTo(plain.out());
    EmulatorStats stats = emulator.stats();
    assertThat(stats.compactions()).isPositive();
    assertThat(stats.compactRequests()).isZero();
    JsonNode m = Json.MAPPER.readTree(Files.readString(metrics));
    assertThat(m.at("/tools/calls").asInt()).isEqualTo(6);
    assertThat(m.at("/session/compactions").asLong()).isEqualTo(stats.compactions());
    // the turn after a compaction keeps chaining: only the first request carries the whole input
    assertThat(m.at("/transport/full_requests").asInt()).isEqualTo(1);
    assertThat(stats.fullCreates()).isEqualTo(1);
  }

  @Test
  void overHttpTheRunnerCallsCompactBetweenTurnsAndTheAnswerIsUnchanged() throws Exception {
    Path plainMetrics = home.resolve("plain.json");
    CliRun plain = exec("http", "--metrics", plainMetrics.toString());
    assertThat(plain.exit()).as(plain.err()).isZero();

    Path metrics = home.resolve("http.json");
    CliRun compacted = exec("http", "-c", "model_auto_compact_token_limit=1500", "--metrics", metrics.toString());
    assertThat(compacted.exit()).as(compacted.err()).isZero();
    assertThat(compacted.out()).isEqualTo(plain.out());
    EmulatorStats stats = emulator.stats();
    assertThat(stats.compactRequests()).isPositive();
    assertThat(stats.compactions()).isEqualTo(stats.compactRequests());
    JsonNode m = Json.MAPPER.readTree(Files.readString(metrics));
    assertThat(m.at("/tools/calls").asInt()).isEqualTo(6);
    // every later turn sends a compacted window instead of the growing history
    JsonNode p = Json.MAPPER.readTree(Files.readString(plainMetrics));
    long second = m.at("/turns/1/bytes_sent").asLong();
    assertThat(m.at("/turns/6/bytes_sent").asLong()).isBetween(second - 100, second + 100)
        .isLessThan(p.at("/turns/6/bytes_sent").asLong() - 500);
    assertThat(stats.compactRequests()).isEqualTo(6);
  }

  @Test
  void withoutTheLimitNothingIsCompacted() {
    CliRun run = exec("http");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(emulator.stats().compactRequests()).isZero();
    assertThat(emulator.stats().compactions()).isZero();
  }
}
