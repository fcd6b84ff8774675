package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A standalone emulator's {@code KIND@N} faults hit every conversation once, as its help says: runs in a row, and a
 * batch's tasks at once, each meet the fault and recover, and no retry meets it twice (the emulator counts one fault
 * per conversation).
 */
class FaultsPerConversationTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  Map<String, String> environment(RunningEmulator emulator) throws Exception {
    Files.createDirectories(home.resolve("runner"));
    Files.writeString(home.resolve("runner/config.toml"), """
        [model_providers.local]
        base_url = "%s"
        env_key = "LOCAL_EMULATOR_KEY"
        supports_websockets = true
        websocket_lanes = true
        """.formatted(emulator.baseUrl()));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("LOCAL_EMULATOR_KEY", "local-key");
    env.remove("RUNNER_LOG");
    env.remove("JOB_COMPLETION_INDEX");
    return env;
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "websocket"})
  void twoRunsInARowWithTheSamePromptBothMeetTheFaultAndRecover(String transport) throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("echo")
        .withFaults("http500@1"))) {
      Map<String, String> env = environment(emulator);
      for (int run = 1; run <= 2; run++) {
        CliRun r = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--provider", "local",
            "--skip-git-repo-check", "--transport", transport, "-s", "danger-full-access", "say hello");
        assertThat(r.exit()).as("run " + run + ": " + r.err()).isZero();
        assertThat(r.out()).as("run " + run).contains("say hello");
        // one fault per run: the first run's retry got past it, and the second run met it again
        assertThat(emulator.stats().faultsInjected()).as("run " + run + ": " + r.err()).isEqualTo(run);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "websocket"})
  void everyTaskOfABatchMeetsAnAtTwoFaultOnceAndRecovers(String transport) throws Exception {
    int tasks = 10;
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2")
        .withFaults("http429@2"))) {
      Map<String, String> env = environment(emulator);
      StringBuilder lines = new StringBuilder();
      for (int i = 1; i <= tasks; i++) {
        // the same prompt for every task: only the conversation tells them apart
        lines.append("{\"id\":\"t").append(i).append("\",\"prompt\":\"list the steps\"}\n");
      }
      Environment environment = new Environment(env, new ByteArrayInputStream(lines.toString().getBytes(
          StandardCharsets.UTF_8)), false, workspace, home, 0);
      CliRun r = CliRun.of(environment, "batch", "--provider", "local", "--transport", transport, "-s",
          "danger-full-access", "--concurrency", "10", "-");
      assertThat(r.exit()).as(r.err()).isZero();
      List<JsonNode> results = new ArrayList<>();
      for (String line : Files.readAllLines(workspace.resolve("runner-results.jsonl"))) {
        results.add(Json.MAPPER.readTree(line));
      }
      assertThat(results).hasSize(tasks);
      assertThat(results).allSatisfy(t -> assertThat(t.path("status").asText()).isEqualTo("ok"));
      assertThat(emulator.stats().faultsInjected()).isEqualTo(tasks);
    }
  }
}
