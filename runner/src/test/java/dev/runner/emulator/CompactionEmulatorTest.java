package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compaction against a real emulator: server-side ({@code context_management}) over SSE with full context and over
 * WebSocket with a {@code store:false} chain, and {@code POST /v1/responses/compact}. In every case the scripted model
 * keeps counting turns across the compaction, so tools:6 still ends with six calls and the same answer.
 */
class CompactionEmulatorTest {
  /** Big enough that the first turn already crosses the 1000-token threshold; compresses well in the summary. */
  static final String PROMPT = "count the steps. " + "Context line that repeats. ".repeat(160);
  static final String ANSWER = "Ran 6 command(s). Last output:\nstep 6";

  static ObjectNode create(ArrayNode input, boolean stream) {
    ObjectNode req = TestClient.request("m", stream);
    req.set("input", input);
    req.set("tools", TestClient.shellTool());
    req.put("store", false);
    req.putArray("context_management").addObject().put("type", "compaction").put("compact_threshold", 1000);
    return req;
  }

  /** What the runner's shell tool answers: a timing header, then the command's output. */
  static ObjectNode output(JsonNode call) throws Exception {
    String cmd = Json.MAPPER.readTree(call.path("arguments").asText()).path("command").asText();
    return Json.MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", call.path("call_id")
        .asText()).put("output", "Exit code: 0\nWall time: 0.01 seconds\nOutput:\n" + cmd.replace("echo ", "") + "\n");
  }

  static List<JsonNode> done(List<JsonNode> events) {
    return events.stream().filter(e -> e.path("type").asText().equals("response.output_item.done"))
        .map(e -> e.get("item")).toList();
  }

  @Test
  void overSseWithFullContextTheStreamStartsWithACompactionItemAndTheCountGoesOn() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:6"))) {
      TestClient client = new TestClient(emu.baseUrl());
      List<JsonNode> conversation = new ArrayList<>(List.of(TestClient.userMessage(PROMPT)));
      List<Integer> bodySizes = new ArrayList<>();
      int calls = 0;
      int compactions = 0;
      String answer = null;
      for (int turn = 0; turn < 10 && answer == null; turn++) {
        String body = create(Json.MAPPER.valueToTree(conversation), true).toString();
        bodySizes.add(body.length());
        List<JsonNode> events = TestClient.sse(client.post("/responses", body, true).body());
        List<JsonNode> items = done(events);
        for (JsonNode item : items) {
          switch (item.path("type").asText()) {
            case "compaction" -> {
              compactions++;
              assertThat(item.path("id").asText()).startsWith("cmp_");
              assertThat(item.path("encrypted_content").asText()).isNotEmpty().doesNotContain("step");
              conversation.clear(); // a client may drop everything before the compaction item
              conversation.add(item);
            }
            case "function_call" -> {
              calls++;
              conversation.add(item);
              conversation.add(output(item));
            }
            default -> {
              conversation.add(item);
              answer = item.path("content").get(0).path("text").asText();
            }
          }
        }
        if (items.get(0).path("type").asText().equals("compaction")) {
          JsonNode added = events.stream().filter(e -> e.path("type").asText().equals("response.output_item.added"))
              .findFirst().orElseThrow();
          assertThat(added.path("output_index").asInt()).isZero();
          assertThat(added.path("item").path("type").asText()).isEqualTo("compaction");
        }
      }
      assertThat(calls).isEqualTo(6);
      assertThat(answer).isEqualTo(ANSWER);
      assertThat(compactions).isPositive();
      assertThat(emu.stats().compactions()).isEqualTo(compactions);
      // the first request carried the whole prompt; right after compaction the window is a fraction of it
      assertThat(bodySizes.get(1)).isLessThan(bodySizes.get(0) / 2);
      assertThat(bodySizes).allMatch(size -> size <= bodySizes.get(0));
    }
  }

  @Test
  void overWebSocketAStoreFalseChainContinuesFromTheCompactedResponse() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:6"))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ArrayNode input = Json.MAPPER.createArrayNode().add(TestClient.userMessage(PROMPT));
      String previous = null;
      int calls = 0;
      String answer = null;
      boolean sawCompaction = false;
      for (int turn = 0; turn < 10 && answer == null; turn++) {
        ObjectNode req = create(input, false).put("type", "response.create");
        if (previous != null) {
          req.put("previous_response_id", previous);
        }
        ws.send(req);
        List<JsonNode> events = ws.untilTerminal();
        JsonNode terminal = events.get(events.size() - 1);
        assertThat(terminal.path("type").asText()).as(terminal.toString()).isEqualTo("response.completed");
        previous = terminal.path("response").path("id").asText();
        input = Json.MAPPER.createArrayNode();
        for (JsonNode item : done(events)) {
          switch (item.path("type").asText()) {
            case "compaction" -> sawCompaction = true;
            case "function_call" -> {
              calls++;
              input.add(output(item));
            }
            default -> answer = item.path("content").get(0).path("text").asText();
          }
        }
      }
      assertThat(calls).isEqualTo(6);
      assertThat(answer).isEqualTo(ANSWER);
      assertThat(sawCompaction).isTrue();
      EmulatorStats stats = emu.stats();
      assertThat(stats.compactions()).isPositive();
      assertThat(stats.cacheHits()).isEqualTo(6);
      assertThat(stats.cacheMisses()).isZero();
    }
  }

  @Test
  void compactEndpointReturnsAWindowTheModelContinuesFrom() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:6"))) {
      TestClient client = new TestClient(emu.baseUrl());
      ArrayNode conversation = Json.MAPPER.createArrayNode().add(TestClient.userMessage("count"));
      for (int turn = 0; turn < 3; turn++) {
        ObjectNode req = TestClient.request("m", true).put("store", false);
        req.set("input", conversation);
        req.set("tools", TestClient.shellTool());
        JsonNode call = done(TestClient.sse(client.post("/responses", req.toString(), true).body())).get(0);
        conversation.add(call).add(output(call));
      }
      ObjectNode compact = Json.MAPPER.createObjectNode().put("model", "m").put("instructions", "be brief");
      compact.set("input", conversation);
      HttpResponse<String> res = client.post("/responses/compact", compact.toString(), true);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode window = Json.MAPPER.readTree(res.body());
      assertThat(window.path("object").asText()).isEqualTo("response.compaction");
      assertThat(window.path("created_at").asLong()).isPositive();
      assertThat(window.path("usage").path("total_tokens").asLong()).isPositive();
      JsonNode output = window.get("output");
      assertThat(output).hasSize(2);
      assertThat(output.get(0).path("role").asText()).isEqualTo("user");
      assertThat(output.get(0).path("content").get(0).path("text").asText()).isEqualTo("count");
      assertThat(output.get(1).path("type").asText()).isEqualTo("compaction");

      ArrayNode next = ((ArrayNode) output).deepCopy();
      String answer = null;
      int calls = 3;
      for (int turn = 0; turn < 5 && answer == null; turn++) {
        ObjectNode req = TestClient.request("m", true).put("store", false);
        req.set("input", next);
        req.set("tools", TestClient.shellTool());
        for (JsonNode item : done(TestClient.sse(client.post("/responses", req.toString(), true).body()))) {
          next.add(item);
          if (item.path("type").asText().equals("function_call")) {
            calls++;
            next.add(output(item));
          } else {
            answer = item.path("content").get(0).path("text").asText();
          }
        }
      }
      assertThat(calls).isEqualTo(6);
      assertThat(answer).isEqualTo(ANSWER);
      assertThat(emu.stats().compactRequests()).isEqualTo(1);
      assertThat(emu.stats().compactions()).isEqualTo(1);
    }
  }

  @Test
  void compactEndpointResolvesAStoredPreviousResponse() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:6"))) {
      TestClient client = new TestClient(emu.baseUrl());
      ObjectNode req = TestClient.request("m", true).put("store", true);
      req.putArray("input").add(TestClient.userMessage("count"));
      req.set("tools", TestClient.shellTool());
      List<JsonNode> events = TestClient.sse(client.post("/responses", req.toString(), true).body());
      String id = events.get(events.size() - 1).path("response").path("id").asText();
      HttpResponse<String> res = client.post("/responses/compact",
          "{\"model\":\"m\",\"previous_response_id\":\"" + id + "\"}", true);
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      HttpResponse<String> missing = client.post("/responses/compact",
          "{\"model\":\"m\",\"previous_response_id\":\"resp_nope\"}", true);
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body()).contains("previous_response_not_found");
    }
  }

  @Test
  void badCompactionInputsAreRejectedLikeTheService() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:6"))) {
      TestClient client = new TestClient(emu.baseUrl());
      ArrayNode input = Json.MAPPER.createArrayNode().add(TestClient.userMessage("count"));
      ObjectNode low = create(input, true);
      ((ObjectNode) low.get("context_management").get(0)).put("compact_threshold", 999);
      HttpResponse<String> tooLow = client.post("/responses", low.toString(), true);
      assertThat(tooLow.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(tooLow.body()).at("/error/code").asText()).isEqualTo("integer_below_min_value");

      input.addObject().put("type", "compaction").put("id", "cmp_x").put("encrypted_content", "Zm9yZ2VkIQ==");
      HttpResponse<String> forged = client.post("/responses", create(input, true).toString(), true);
      assertThat(forged.statusCode()).isEqualTo(400);
      JsonNode error = Json.MAPPER.readTree(forged.body()).get("error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_encrypted_content");
      assertThat(error.path("param").asText()).isEqualTo("input[1].encrypted_content");

      HttpResponse<String> nothing = client.post("/responses/compact", "{\"model\":\"m\"}", true);
      assertThat(nothing.statusCode()).isEqualTo(400);
      HttpResponse<String> noAuth = client.post("/responses/compact", "{\"model\":\"m\",\"input\":\"x\"}", false);
      assertThat(noAuth.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void summaryRoundTripsAndRejectsForeignContent() {
    CompactionSummary s = new CompactionSummary("task ü", List.of("one\n", "two"));
    assertThat(CompactionSummary.decode(s.encode())).isEqualTo(s);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompactionSummary.decode("not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
