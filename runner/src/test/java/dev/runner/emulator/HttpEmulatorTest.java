package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP + SSE against a real emulator on port 0. */
class HttpEmulatorTest {
  private static final List<String> RESPONSE_KEYS = List.of("id", "object", "created_at", "status", "error",
      "incomplete_details", "instructions", "model", "tools", "output", "parallel_tool_calls", "metadata",
      "tool_choice", "temperature", "top_p", "usage");

  static RunningEmulator start(String scenario, String faults) {
    return EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario).withFaults(faults));
  }

  @Test
  void toolCallTurnStreamsEventsInOrderWithSequenceNumbers() throws Exception {
    try (RunningEmulator emu = start("tools:3", "")) {
      ObjectNode req = TestClient.request("gpt-test", true);
      ((ArrayNode) req.get("input")).add(TestClient.userMessage("run the steps"));
      req.set("tools", TestClient.shellTool());
      HttpResponse<String> res = new TestClient(emu.baseUrl()).post("/responses", req.toString(), true);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(
          "text/event-stream"));
      List<JsonNode> events = TestClient.sse(res.body());
      List<String> types = TestClient.types(events);
      assertThat(types.get(0)).isEqualTo("response.created");
      assertThat(types.get(1)).isEqualTo("response.in_progress");
      assertThat(types.get(2)).isEqualTo("response.output_item.added");
      assertThat(types.subList(3, types.size() - 3)).isNotEmpty()
          .allMatch(t -> t.equals("response.function_call_arguments.delta"));
      assertThat(types.subList(types.size() - 3, types.size())).containsExactly(
          "response.function_call_arguments.done", "response.output_item.done", "response.completed");
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).path("sequence_number").asInt(-1)).isEqualTo(i);
      }
      JsonNode item = events.get(events.size() - 2).get("item");
      assertThat(item.path("name").asText()).isEqualTo("shell");
      assertThat(Json.MAPPER.readTree(item.path("arguments").asText()).path("command").asText())
          .isEqualTo("echo step 1");
      StringBuilder args = new StringBuilder();
      events.stream().filter(e -> e.path("type").asText().endsWith("arguments.delta"))
          .forEach(e -> args.append(e.path("delta").asText()));
      assertThat(args.toString()).isEqualTo(item.path("arguments").asText());
      JsonNode completed = events.get(events.size() - 1).get("response");
      assertThat(RESPONSE_KEYS).allMatch(completed::has);
      assertThat(completed.path("id").asText()).startsWith("resp_");
      assertThat(completed.path("object").asText()).isEqualTo("response");
      assertThat(completed.path("status").asText()).isEqualTo("completed");
      JsonNode usage = completed.get("usage");
      assertThat(usage.path("input_tokens_details").has("cached_tokens")).isTrue();
      assertThat(usage.path("input_tokens_details").has("cache_write_tokens")).isTrue();
      assertThat(usage.path("output_tokens_details").has("reasoning_tokens")).isTrue();
      assertThat(usage.path("input_tokens").asLong()).isEqualTo((req.get("input").toString().length()
          + req.get("tools").toString().length() + 3) / 4);
      assertThat(usage.path("total_tokens").asLong()).isEqualTo(usage.path("input_tokens").asLong()
          + usage.path("output_tokens").asLong());
    }
  }

  @Test
  void finalMessageTurnStreamsTextInSeveralDeltasBetweenContentParts() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      String prompt = "Please repeat this sentence back to me, word for word.";
      ObjectNode req = TestClient.request("gpt-test", true);
      ((ArrayNode) req.get("input")).add(TestClient.userMessage(prompt));
      List<JsonNode> events = TestClient.sse(new TestClient(emu.baseUrl()).post("/responses", req.toString(), true)
          .body());
      List<String> types = TestClient.types(events);
      assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
          "response.output_item.added", "response.content_part.added");
      assertThat(types.subList(types.size() - 4, types.size())).containsExactly("response.output_text.done",
          "response.content_part.done", "response.output_item.done", "response.completed");
      List<JsonNode> deltas = events.stream().filter(e -> e.path("type").asText().equals("response.output_text.delta"))
          .toList();
      assertThat(deltas).hasSizeGreaterThan(1);
      assertThat(String.join("", deltas.stream().map(d -> d.path("delta").asText()).toList())).isEqualTo(prompt);
      JsonNode done = events.get(events.size() - 2).get("item");
      assertThat(done.path("content").get(0).path("text").asText()).isEqualTo(prompt);
      assertThat(done.path("role").asText()).isEqualTo("assistant");
    }
  }

  @Test
  void withoutStreamTheAnswerIsOneJsonResponse() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      HttpResponse<String> res = new TestClient(emu.baseUrl()).post("/responses",
          "{\"model\":\"m\",\"input\":\"hello there\",\"some_future_field\":{\"x\":1}}", true);
      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(res.body());
      assertThat(body.path("object").asText()).isEqualTo("response");
      assertThat(body.path("status").asText()).isEqualTo("completed");
      assertThat(body.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("hello there");
      assertThat(RESPONSE_KEYS).allMatch(body::has);
    }
  }

  @Test
  void missingAuthIs401WithTheSpecErrorBody() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      HttpResponse<String> res = new TestClient(emu.baseUrl()).post("/responses", "{\"model\":\"m\",\"input\":[]}",
          false);
      assertThat(res.statusCode()).isEqualTo(401);
      JsonNode error = Json.MAPPER.readTree(res.body()).get("error");
      assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code")).isTrue();
    }
  }

  @Test
  void malformedJsonAndMissingModelAre400InvalidRequest() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      TestClient client = new TestClient(emu.baseUrl());
      HttpResponse<String> bad = client.post("/responses", "{\"model\": ", true);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(bad.body()).path("error").path("type").asText())
          .isEqualTo("invalid_request_error");
      HttpResponse<String> noModel = client.post("/responses", "{\"input\":[]}", true);
      assertThat(noModel.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(noModel.body()).path("error").path("param").asText()).isEqualTo("model");
      HttpResponse<String> noInput = client.post("/responses", "{\"model\":\"m\"}", true);
      assertThat(Json.MAPPER.readTree(noInput.body()).path("error").path("param").asText()).isEqualTo("input");
    }
  }

  @Test
  void toolsThreeMakesThreeShellCallsThenAnAnswerThatFitsTheRequestedSchema() throws Exception {
    JsonNode schema = Json.MAPPER.readTree("""
        {"type":"object","additionalProperties":false,
         "required":["summary","steps","count","ok","level","note","detail"],
         "properties":{
           "summary":{"type":"string","minLength":3},
           "steps":{"type":"array","minItems":2,"items":{"type":"string"}},
           "count":{"type":"integer","minimum":1},
           "ok":{"type":"boolean"},
           "level":{"enum":["low","high"]},
           "note":{"type":["string","null"]},
           "detail":{"type":"object","required":["score"],"properties":{"score":{"type":"number","maximum":10}}}}}
        """);
    try (RunningEmulator emu = start("tools:3", "")) {
      TestClient client = new TestClient(emu.baseUrl());
      ArrayNode conversation = Json.MAPPER.createArrayNode().add(TestClient.userMessage("count"));
      JsonNode last = null;
      int calls = 0;
      for (int turn = 0; turn < 5 && last == null; turn++) {
        ObjectNode req = TestClient.request("m", true);
        req.set("input", conversation);
        req.set("tools", TestClient.shellTool());
        req.putObject("text").putObject("format").put("type", "json_schema").put("name", "out").put("strict", true)
            .set("schema", schema);
        List<JsonNode> events = TestClient.sse(client.post("/responses", req.toString(), true).body());
        for (JsonNode e : events) {
          if (e.path("type").asText().equals("response.output_item.done")) {
            JsonNode item = e.get("item");
            conversation.add(item);
            if (item.path("type").asText().equals("function_call")) {
              calls++;
              String cmd = Json.MAPPER.readTree(item.path("arguments").asText()).path("command").asText();
              conversation.addObject().put("type", "function_call_output").put("call_id", item.path("call_id")
                  .asText()).put("output", cmd.replace("echo ", "") + "\n");
            } else {
              last = item;
            }
          }
        }
      }
      assertThat(calls).isEqualTo(3);
      assertThat(last).isNotNull();
      JsonNode answer = Json.MAPPER.readTree(last.path("content").get(0).path("text").asText());
      var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
          .validate(answer);
      assertThat(errors).isEmpty();
      assertThat(answer.path("steps").toString()).contains("step 1").contains("step 3");
      assertThat(emu.stats().fullCreates()).isEqualTo(4);
    }
  }

  @Test
  void http429FaultCarriesRetryAfterAndFiresOnce() throws Exception {
    try (RunningEmulator emu = start("echo", "http429@1")) {
      TestClient client = new TestClient(emu.baseUrl());
      String body = "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}";
      HttpResponse<String> limited = client.post("/responses", body, true);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("retry-after")).contains("1");
      assertThat(Json.MAPPER.readTree(limited.body()).path("error").path("code").asText())
          .isEqualTo("rate_limit_exceeded");
      assertThat(client.post("/responses", body, true).statusCode()).isEqualTo(200);
      assertThat(emu.stats().faultsInjected()).isEqualTo(1);
    }
  }

  @Test
  void resetFaultCutsTheStreamBeforeCompleted() throws Exception {
    try (RunningEmulator emu = start("echo", "reset@1")) {
      TestClient client = new TestClient(emu.baseUrl());
      String body = "{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}";
      // either the client sees the reset, or it reads a body that stops before response.completed
      try {
        HttpResponse<String> res = client.post("/responses", body, true);
        assertThat(res.body()).doesNotContain("response.completed");
      } catch (IOException expected) {
        assertThat(expected).isNotNull();
      }
      assertThat(emu.stats().faultsInjected()).isEqualTo(1);
    }
  }

  @Test
  void unknownPreviousResponseOverHttpIs400PreviousResponseNotFound() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      HttpResponse<String> res = new TestClient(emu.baseUrl()).post("/responses",
          "{\"model\":\"m\",\"input\":[],\"previous_response_id\":\"resp_nope\"}", true);
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(res.body()).path("error").path("code").asText())
          .isEqualTo("previous_response_not_found");
    }
  }

  @Test
  void modelsAndStatsAndResetEndpoints() throws Exception {
    try (RunningEmulator emu = start("echo", "")) {
      TestClient client = new TestClient(emu.baseUrl());
      JsonNode models = Json.MAPPER.readTree(client.get(emu.baseUrl() + "/models").body());
      assertThat(models.path("object").asText()).isEqualTo("list");
      assertThat(models.path("data").get(0).path("object").asText()).isEqualTo("model");
      client.post("/responses", "{\"model\":\"m\",\"input\":\"x\"}", true);
      String root = emu.baseUrl().replace("/v1", "");
      JsonNode stats = Json.MAPPER.readTree(client.get(root + "/emulator/stats").body());
      assertThat(stats.path("requests").path("http").asLong()).isEqualTo(1);
      assertThat(stats.path("tcp_connections").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(stats.path("request_first_byte_micros").get(0).asLong()).isGreaterThan(1_700_000_000_000_000L);
      new TestClient(root).post("/emulator/reset", "", true);
      assertThat(emu.stats().httpRequests()).isZero();
    }
  }

  @Test
  void badScenarioOrFaultSpecFailsAtStart() {
    assertThatThrownBy(() -> start("no-such-scenario", "")).hasMessageContaining("no-such-scenario");
    assertThatThrownBy(() -> start("echo", "explode@1")).hasMessageContaining("explode");
  }
}
