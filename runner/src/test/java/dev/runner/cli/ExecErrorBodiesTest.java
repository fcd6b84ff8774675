package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import dev.runner.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A refused request as a user reads it: the emulator answers a problem+json 422 (scripted) or its own OpenAI-shaped
 * 400, and the one-line error, {@code --json}'s {@code turn.failed} and {@code -v}'s raw body are checked.
 */
class ExecErrorBodiesTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  CliRun exec(String scenario, String transport, String... extra) throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario))) {
      Files.createDirectories(home.resolve("runner"));
      Files.writeString(home.resolve("runner/config.toml"), """
          [model_providers.local]
          base_url = "%s"
          env_key = "LOCAL_EMULATOR_KEY"
          supports_websockets = true
          """.formatted(emulator.baseUrl()));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("CODEX_HOME", home.resolve("codex").toString());
      env.put("RUNNER_HOME", home.resolve("runner").toString());
      env.put("LOCAL_EMULATOR_KEY", "local-key");
      env.remove("RUNNER_LOG");
      List<String> args = new ArrayList<>(List.of("exec", "--provider", "local", "--skip-git-repo-check",
          "--transport", transport));
      args.addAll(List.of(extra));
      args.add("do the task");
      return CliRun.of(CliRun.environment(env, workspace, home), args.toArray(String[]::new));
    }
  }

  static String problem() {
    return Fixtures.file("errors/problem-422.json").toString();
  }

  @Test
  void aProblemJsonAnswerShowsTitleDetailAndTheFirstViolations() throws Exception {
    CliRun run = exec(problem(), "http");
    assertThat(run.exit()).as(run.err()).isNotZero();
    assertThat(run.out()).isEmpty();
    List<String> lines = run.err().lines().filter(l -> l.contains("HTTP 422")).toList();
    assertThat(lines).as(run.err()).hasSize(1);
    assertThat(lines.get(0)).contains("Unprocessable Entity: The request body failed the gateway's schema check.")
        .contains("input[1].content[0].logprobs: is required", "tools[0].strict: must be a boolean",
            "model: is not allowed for this key", "(+2 more)")
        .doesNotContain("store: must be false");
  }

  @Test
  void jsonModeCarriesTheSameDetailInItsErrorEvent() throws Exception {
    CliRun run = exec(problem(), "http", "--json");
    assertThat(run.exit()).as(run.err()).isNotZero();
    JsonNode failed = null;
    for (String line : run.out().lines().toList()) {
      JsonNode event = Json.MAPPER.readTree(line);
      if (event.path("type").asText().equals("turn.failed")) {
        failed = event;
      }
    }
    assertThat(failed).as(run.out()).isNotNull();
    assertThat(failed.at("/error/message").asText()).contains("422", "Unprocessable Entity",
        "The request body failed the gateway's schema check.", "input[1].content[0].logprobs: is required");
  }

  @Test
  void verboseShowsTheRawBody() throws Exception {
    CliRun quiet = exec(problem(), "http");
    assertThat(quiet.err()).doesNotContain("https://gateway.example/problems#UNPROCESSABLE_ENTITY");
    CliRun run = exec(problem(), "http", "-v");
    assertThat(run.err()).contains("\"type\":\"https://gateway.example/problems#UNPROCESSABLE_ENTITY\"")
        .contains("\"field\":\"include\"");
  }

  @Test
  void verboseShowsTheRawErrorFrameOverWebSocket() throws Exception {
    CliRun quiet = exec(problem(), "websocket");
    assertThat(quiet.err()).doesNotContain("WebSocket error event");
    CliRun run = exec(problem(), "websocket", "-v");
    // the frame as it came, fields the one-line error leaves out included
    assertThat(run.err()).contains("WebSocket error event from ").contains("\"status\":422")
        .contains("\"type\":\"invalid_request_error\"");
  }

  @Test
  void overWebSocketTheErrorEventCarriesTheProblemsTitleAndDetail() throws Exception {
    CliRun run = exec(problem(), "websocket");
    assertThat(run.exit()).as(run.err()).isNotZero();
    assertThat(run.err()).contains("422").contains("Unprocessable Entity: The request body failed the gateway's "
        + "schema check.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "websocket"})
  void anOpenAiErrorBodyShowsCodeMessageAndParam(String transport) throws Exception {
    // echo answers with the prompt, which no object schema accepts: the emulator's own 400
    Path schema = Path.of(System.getProperty("runner.projectDir"), "schemas", "examples", "repo-summary.json");
    CliRun run = exec("echo", transport, "--output-schema", schema.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isNotZero();
    assertThat(run.err()).contains("400 scenario_schema_mismatch: scenario 'echo' turn 1")
        .contains("(param: text.format)");
    assertThat(run.out()).contains("turn.failed").contains("(param: text.format)");
  }
}
