package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.cli.Environment;
import dev.runner.cli.RunnerCommand;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * What {@code runner exec} itself puts on the wire for every built-in emulator scenario and a scripted tour (text
 * before tool calls, reasoning items, update_plan, apply_patch, a schema answer, compaction), over both transports:
 * a recording proxy between the runner and the emulator keeps every POST body and every WebSocket frame, and each is
 * held against {@code CreateResponse} / {@code ResponsesClientEvent} / {@code CompactResponseMethodPublicBody} and
 * the service's own rules.
 *
 * <p>Why the earlier conformance tests missed {@code logprobs} on replayed {@code output_text} parts: the harness
 * checked it all along, but nothing fed it a request that replays an assistant message. The encoder test built its
 * input by hand without one, the transport test's server only called tools, and the captures of other clients
 * hold no second turn after text. Only a real loop over a scenario whose model talks before its tool calls produces
 * that request, which is what this test runs.
 */
class RunnerRequestsConformanceTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (String transport : List.of("http", "websocket")) {
      for (String scenario : List.of("echo", "demo", "tools:2", "explore:2", "wire-tour")) {
        out.add(Arguments.of(scenario, transport));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("runs")
  void everyRequestOfAScenarioRunMatchesTheSpec(String scenario, String transport) throws Exception {
    List<RecordingProxy.Sent> sent = run(scenario, transport);
    assertThat(sent).as("requests recorded").isNotEmpty();
    assertThat(problems(sent)).isEmpty();
    if (scenario.equals("demo") || scenario.equals("wire-tour")) {
      // the case that broke: text before tool calls, replayed in the next full request (HTTP) or the first one over a
      // fresh socket; over WebSocket later turns chain and resend only new items
      if (transport.equals("http")) {
        assertThat(sent).anyMatch(s -> hasAssistantText(s.json()));
      }
    }
    if (scenario.equals("wire-tour") && transport.equals("http")) {
      assertThat(sent).anyMatch(s -> hasInputItem(s.json(), "reasoning"));
      assertThat(sent).anyMatch(s -> hasInputItem(s.json(), "function_call")
          && s.json().toString().contains("update_plan"));
      assertThat(workspace.resolve("note.txt")).hasContent("hello from the wire tour");
    }
  }

  @ParameterizedTest(name = "compaction over {0}")
  @MethodSource("transports")
  void requestsAroundACompactionMatchTheSpec(String transport) throws Exception {
    List<RecordingProxy.Sent> sent = run("tools:4", transport, "-c", "model_auto_compact_token_limit=1500");
    assertThat(problems(sent)).isEmpty();
    if (transport.equals("http")) {
      assertThat(sent).as("the runner compacted").anyMatch(s -> s.path().equals("/v1/responses/compact"));
      assertThat(sent).as("and sent the compaction item back").anyMatch(s -> hasInputItem(s.json(), "compaction"));
    } else {
      assertThat(sent).allMatch(s -> s.path().equals("ws"));
    }
  }

  static Stream<String> transports() {
    return Stream.of("http", "websocket");
  }

  @Test
  void theHarnessCatchesADroppedLogprobs() throws Exception {
    List<RecordingProxy.Sent> sent = run("demo", "http");
    JsonNode body = sent.stream().map(RecordingProxy.Sent::json).filter(RunnerRequestsConformanceTest::hasAssistantText)
        .findFirst().orElseThrow(() -> new AssertionError("no request replayed an assistant message: " + sent));
    OpenApiSpec spec = OpenApiSpec.get();
    assertThat(spec.errors("CreateResponse", body)).isEmpty();
    ObjectNode broken = body.deepCopy();
    int removed = 0;
    for (JsonNode item : broken.path("input")) {
      for (JsonNode part : item.path("content")) {
        if (part.path("type").asText().equals("output_text")) {
          ((ObjectNode) part).remove("logprobs");
          removed++;
        }
      }
    }
    assertThat(removed).isPositive();
    assertThat(String.join("\n", spec.errors("CreateResponse", broken))).contains("'logprobs'");
  }

  private List<RecordingProxy.Sent> run(String scenario, String transport, String... extra) throws Exception {
    String name = scenario.equals("wire-tour")
        ? Fixtures.file("conformance/scenarios/wire-tour.json").toString()
        : scenario;
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(name));
        RecordingProxy proxy = new RecordingProxy(emulator.baseUrl())) {
      Files.createDirectories(home.resolve("runner"));
      Files.writeString(home.resolve("runner/config.toml"), """
          [model_providers.local]
          base_url = "%s"
          env_key = "LOCAL_EMULATOR_KEY"
          supports_websockets = true
          """.formatted(proxy.baseUrl()));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("CODEX_HOME", home.resolve("codex").toString());
      env.put("RUNNER_HOME", home.resolve("runner").toString());
      env.put("LOCAL_EMULATOR_KEY", "local-key");
      env.remove("RUNNER_LOG");
      List<String> args = new ArrayList<>(List.of("exec", "--provider", "local", "--skip-git-repo-check", "-s",
          "danger-full-access", "--transport", transport));
      if (!scenario.equals("echo")) { // echo answers with the prompt, which is no schema instance
        args.addAll(List.of("--output-schema",
            Path.of(System.getProperty("runner.projectDir"), "schemas", "examples", "repo-summary.json").toString()));
      }
      args.addAll(List.of(extra));
      args.add("Survey this directory. " + "Padding so the context grows past a small limit. ".repeat(60));
      CommandLine cl = RunnerCommand.commandLine(new Environment(env, new ByteArrayInputStream(new byte[0]), true,
          workspace, home, 0));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args.toArray(String[]::new));
      assertThat(exit).as(scenario + " over " + transport + ": " + err).isZero();
      return List.copyOf(proxy.sent);
    }
  }

  static List<String> problems(List<RecordingProxy.Sent> sent) {
    OpenApiSpec spec = OpenApiSpec.get();
    List<String> problems = new ArrayList<>();
    for (RecordingProxy.Sent s : sent) {
      String where = s.path() + " " + s.json();
      switch (s.path()) {
        case "/v1/responses" -> {
          spec.errors("CreateResponse", s.json()).forEach(e -> problems.add(where + ": " + e));
          ServiceRules.createResponse(s.json()).forEach(e -> problems.add(where + ": " + e));
          ServiceRules.functionTools(s.json()).forEach(e -> problems.add(where + ": " + e));
        }
        case "ws" -> {
          spec.errors("ResponsesClientEvent", s.json()).forEach(e -> problems.add(where + ": " + e));
          ServiceRules.createResponse(s.json()).forEach(e -> problems.add(where + ": " + e));
          ServiceRules.functionTools(s.json()).forEach(e -> problems.add(where + ": " + e));
        }
        case "/v1/responses/compact" -> spec.errors("CompactResponseMethodPublicBody", s.json())
            .forEach(e -> problems.add(where + ": " + e));
        default -> problems.add(where + ": a request the runner should not send");
      }
    }
    return problems;
  }

  static boolean hasAssistantText(JsonNode body) {
    for (JsonNode item : body.path("input")) {
      if (item.path("role").asText().equals("assistant")) {
        for (JsonNode part : item.path("content")) {
          if (part.path("type").asText().equals("output_text")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static boolean hasInputItem(JsonNode body, String type) {
    for (JsonNode item : body.path("input")) {
      if (item.path("type").asText().equals(type)) {
        return true;
      }
    }
    return false;
  }
}
