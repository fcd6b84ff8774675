package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SSE event, WebSocket frame, JSON response and error body the emulator emits, held against the official spec:
 * a tool turn, a final turn with {@code text.format} json_schema, a scripted failure, and request errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorWireConformanceTest {
  /** Keys a full {@code Response} must carry even when null (PROTOCOL.md §5). */
  static final List<String> REQUIRED_NULLABLE = List.of("error", "incomplete_details", "instructions", "tools",
      "parallel_tool_calls", "metadata", "tool_choice", "temperature", "top_p");

  /**
   * Spec violations the emulator still has (reported to its owner), tolerated so the rest stays guarded:
   * {@code "user": null} on every Response (spec: string, not nullable: omit it) and {@code "usage": null} in
   * {@code response.created}/{@code response.in_progress} (spec: object, not nullable: omit it until known).
   * {@link #knownDeviationsStillReproduce} fails once one is fixed, so this list only shrinks.
   */

  private OpenApiSpec spec;
  private RunningEmulator emulator;
  private RunningEmulator failing;
  private Wire wire;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    spec = OpenApiSpec.get();
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"));
    Path failScenario = dir.resolve("fail.json");
    Files.writeString(failScenario, "{\"name\":\"fail\",\"turns\":[{\"fail\":{\"code\":\"server_error\","
        + "\"message\":\"scripted failure\"}}]}");
    failing = EmulatorServer.start(EmulatorOptions.defaults().withScenario(failScenario.toString()));
    wire = new Wire(emulator.baseUrl());
  }

  @AfterAll
  void stop() {
    // Null when the spec was missing and the class was skipped before anything started.
    for (AutoCloseable c : new AutoCloseable[]{wire, emulator, failing}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException("could not stop " + c, e);
        }
      }
    }
  }

  static ObjectNode request(boolean stream) {
    ObjectNode body = Captures.JSON.createObjectNode().put("model", "mock-model");
    body.putArray("input").addObject().put("role", "user").put("content", "list the files");
    ObjectNode tool = body.putArray("tools").addObject().put("type", "function").put("name", "shell")
        .put("description", "Runs a command line").put("strict", false);
    ObjectNode params = tool.putObject("parameters").put("type", "object");
    params.putObject("properties").putObject("command").put("type", "string");
    params.putArray("required").add("command");
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  /** The follow-up of {@link #request}: the model's call and our result appended, plus a json_schema format. */
  static ObjectNode finalTurn(boolean stream) {
    ObjectNode body = request(stream);
    ArrayNode input = (ArrayNode) body.get("input");
    input.addObject().put("type", "function_call").put("id", "fc_1").put("call_id", "call_1").put("name", "shell")
        .put("arguments", "{\"command\":\"echo step 1\"}").put("status", "completed");
    input.addObject().put("type", "function_call_output").put("call_id", "call_1").put("output", "step 1");
    ObjectNode format = body.putObject("text").putObject("format").put("type", "json_schema").put("name", "answer")
        .put("strict", true);
    ObjectNode schema = format.putObject("schema").put("type", "object").put("additionalProperties", false);
    schema.putObject("properties").putObject("summary").put("type", "string");
    schema.putArray("required").add("summary");
    return body;
  }

  void assertFullResponse(JsonNode response, String where) {
    assertThat(responseProblems(response, where)).isEmpty();
  }

  List<String> responseProblems(JsonNode response, String where) {
    List<String> problems = new ArrayList<>();
    spec.errors("Response", response).forEach(e -> problems.add(where + ": " + e));
    for (String key : REQUIRED_NULLABLE) {
      if (!response.has(key)) {
        problems.add(where + ": Response lacks required key '" + key + "'");
      }
    }
    if (response.hasNonNull("usage")
        && !response.path("usage").path("input_tokens_details").has("cache_write_tokens")) {
      problems.add(where + ": usage.input_tokens_details.cache_write_tokens missing");
    }
    return problems;
  }

  /** Every event against the spec; all problems of the whole stream are collected so one run lists them all. */
  void assertStreamConforms(List<JsonNode> events, String schemaName, String where) {
    assertThat(events).as(where).isNotEmpty();
    List<String> problems = new ArrayList<>();
    long last = -1;
    for (JsonNode event : events) {
      String type = event.path("type").asText();
      String schema = type.equals("error") && !schemaName.equals("ResponseStreamEvent")
          ? "ResponseWsError"
          : schemaName;
      spec.errors(schema, event).forEach(e -> problems.add(where + " " + type + " (" + schema + "): " + e));
      if (event.has("response") && !type.equals("error")) {
        JsonNode response = event.get("response");
        spec.errors("Response", response).stream().map(e -> where + " " + type + " response (Response): " + e)
            .filter(p -> !problems.contains(p.replace("response (Response): ", "(" + schema + "): /response")))
            .forEach(problems::add);
        if (type.equals("response.completed") || type.equals("response.failed")) {
          problems.addAll(responseProblems(response, where + " " + type).stream()
              .filter(p -> p.contains("lacks") || p.contains("cache_write")).toList());
        }
      }
      long seq = event.path("sequence_number").asLong(-1);
      if (seq <= last) {
        problems.add(where + " " + type + ": sequence_number " + seq + " after " + last);
      }
      last = seq;
    }
    assertThat((problems)).as(where + " events " + types(events)).isEmpty();
  }

  static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  @Test
  void sseToolTurnConforms() throws Exception {
    Wire.Answer answer = wire.post("/responses", request(true).toString());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/event-stream");
    List<JsonNode> events = answer.sseEvents();
    assertStreamConforms(events, "ResponseStreamEvent", "SSE tool turn");
    assertThat(types(events)).startsWith("response.created").endsWith("response.completed")
        .contains("response.function_call_arguments.done", "response.output_item.done");
  }

  @Test
  void sseFinalTurnWithJsonSchemaConforms() throws Exception {
    List<JsonNode> events = wire.post("/responses", finalTurn(true).toString()).sseEvents();
    assertStreamConforms(events, "ResponseStreamEvent", "SSE final turn");
    JsonNode done = events.stream().filter(e -> e.path("type").asText().equals("response.output_text.done"))
        .findFirst().orElseThrow(() -> new AssertionError("no output_text.done in " + types(events)));
    assertThat(Captures.JSON.readTree(done.path("text").asText()).path("summary").isTextual()).isTrue();
  }

  @Test
  void nonStreamResponseConforms() throws Exception {
    Wire.Answer answer = wire.post("/responses", finalTurn(false).toString());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("application/json");
    assertFullResponse(answer.json(), "non-stream response");
    assertThat(answer.json().path("status").asText()).isEqualTo("completed");
  }

  @Test
  void httpErrorBodiesConform() throws Exception {
    Wire.Answer malformed = wire.post("/responses", "{\"model\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(spec.errors("ErrorResponse", malformed.json())).as(malformed.body()).isEmpty();
    ObjectNode orphan = request(true).put("previous_response_id", "resp_never_made").put("store", false);
    Wire.Answer missing = wire.post("/responses", orphan.toString());
    assertThat(missing.status()).isBetween(400, 404);
    assertThat(spec.errors("ErrorResponse", missing.json())).as(missing.body()).isEmpty();
  }

  @Test
  void sseFailedTurnConforms() throws Exception {
    try (Wire failingWire = new Wire(failing.baseUrl())) {
      List<JsonNode> events = failingWire.post("/responses", request(true).toString()).sseEvents();
      assertStreamConforms(events, "ResponseStreamEvent", "SSE failed turn");
      assertThat(types(events)).endsWith("response.failed");
    }
  }

  @Test
  void webSocketFramesConform() throws Exception {
    try (Wire.Socket socket = wire.socket()) {
      socket.send(request(false).put("type", "response.create"));
      List<JsonNode> first = socket.untilTerminal();
      assertStreamConforms(first, "ResponsesServerEvent", "WS tool turn");
      assertThat(types(first)).endsWith("response.completed");
      JsonNode completed = first.getLast().path("response");
      JsonNode call = completed.path("output").findParent("call_id");
      ObjectNode next = finalTurn(false).put("type", "response.create")
          .put("previous_response_id", completed.path("id").asText());
      ArrayNode input = next.putArray("input");
      input.addObject().put("type", "function_call_output").put("call_id", call.path("call_id").asText())
          .put("output", "step 1");
      socket.send(next);
      List<JsonNode> second = socket.untilTerminal();
      assertStreamConforms(second, "ResponsesServerEvent", "WS final turn");
      assertThat(types(second)).endsWith("response.completed");
    }
  }

  @Test
  void webSocketErrorFrameConforms() throws Exception {
    try (Wire.Socket socket = wire.socket()) {
      socket.send(request(false).put("type", "response.create").put("store", false)
          .put("previous_response_id", "resp_never_made"));
      List<JsonNode> frames = socket.untilTerminal();
      JsonNode error = frames.getLast();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(spec.errors("ResponseWsError", error)).as(error.toString()).isEmpty();
      assertThat(spec.errors("ResponsesServerEvent", error)).as(error.toString()).isEmpty();
      assertThat(error.path("status").asInt()).isEqualTo(400);
      assertThat(error.path("error").path("code").asText()).isEqualTo("previous_response_not_found");
    }
  }

  @Test
  void webSocketFailedTurnConforms() throws Exception {
    try (Wire failingWire = new Wire(failing.baseUrl()); Wire.Socket socket = failingWire.socket()) {
      socket.send(request(false).put("type", "response.create"));
      List<JsonNode> frames = socket.untilTerminal();
      assertStreamConforms(frames, "ResponsesServerEvent", "WS failed turn");
      assertThat(types(frames)).endsWith("response.failed");
    }
  }
}
