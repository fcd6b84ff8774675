package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.conformance.RecordingProxy;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch task sends what {@code exec} sends for the same configuration: codex's reasoning and verbosity keys, storage,
 * and a prompt-cache key of its own (one per task, the same on each of its turns).
 */
class BatchRequestFieldsTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  @Test
  void taskConfigReachesTheRequestsAsInExec() throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"));
        RecordingProxy proxy = new RecordingProxy(emulator.baseUrl())) {
      Files.writeString(home.resolve("config.toml"), """
          model_reasoning_effort = "low"
          [model_providers.local]
          base_url = "%s"
          env_key = "LOCAL_EMULATOR_KEY"
          """.formatted(proxy.baseUrl()));
      Path tasks = Files.writeString(workspace.resolve("tasks.jsonl"),
          """
              {"id":"plain","prompt":"one"}
              {"id":"tuned","prompt":"two","config":{"model_reasoning_effort":"high","model_verbosity":"low","store_responses":true}}
              """);
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", home.toString());
      env.put("LOCAL_EMULATOR_KEY", "local-key");
      env.remove("RUNNER_LOG");
      CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "batch", "--provider", "local", "--transport",
          "http", "-s", "danger-full-access", "--workspace", "copy", "-q", "--results",
          workspace.resolve("results.jsonl").toString(), tasks.toString());
      assertThat(run.exit()).as(run.err()).isZero();
      List<JsonNode> creates = proxy.bodies("/v1/responses");
      assertThat(creates).hasSize(4); // tools:1: a tool turn and the answer, per task
      Set<String> keys = new HashSet<>();
      for (JsonNode r : creates) {
        boolean tuned = false;
        for (JsonNode item : r.path("input")) {
          tuned |= item.path("role").asText().equals("user") && item.at("/content/0/text").asText().equals("two");
        }
        assertThat(r.at("/reasoning/effort").asText()).isEqualTo(tuned ? "high" : "low");
        assertThat(r.path("include").toString()).contains("reasoning.encrypted_content");
        assertThat(r.at("/text/verbosity").asText(null)).isEqualTo(tuned ? "low" : null);
        assertThat(r.path("store").asBoolean()).isEqualTo(tuned);
        assertThat(r.path("prompt_cache_key").asText()).isNotEmpty();
        keys.add(r.path("prompt_cache_key").asText());
      }
      assertThat(keys).hasSize(2);
    }
  }
}
