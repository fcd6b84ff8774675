package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** WebSocket mode against a real emulator on port 0 (java.net.http client). */
class WebSocketEmulatorTest {
  static ObjectNode create(String previous, JsonNode... input) {
    ObjectNode c = Json.MAPPER.createObjectNode().put("type", "response.create").put("model", "m").put("store",
        false);
    if (previous != null) {
      c.put("previous_response_id", previous);
    }
    ArrayNode in = c.putArray("input");
    for (JsonNode i : input) {
      in.add(i);
    }
    c.set("tools", TestClient.shellTool());
    return c;
  }

  static JsonNode terminal(List<JsonNode> events) {
    return events.get(events.size() - 1);
  }

  static JsonNode itemDone(List<JsonNode> events) {
    return events.stream().filter(e -> e.path("type").asText().equals("response.output_item.done")).findFirst()
        .orElseThrow().get("item");
  }

  static ObjectNode output(JsonNode call, String text) {
    return Json.MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", call.path("call_id")
        .asText()).put("output", text);
  }

  @Test
  void warmUpThenTwoIncrementalTurnsWithStoreFalseUseTheConnectionCache() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ObjectNode warm = create(null);
      warm.put("generate", false);
      ws.send(warm);
      List<JsonNode> warmEvents = ws.untilTerminal();
      assertThat(TestClient.types(warmEvents)).containsExactly("response.created", "response.in_progress",
          "response.completed");
      JsonNode warmResponse = terminal(warmEvents).get("response");
      assertThat(warmResponse.get("output")).isEmpty();

      ws.send(create(warmResponse.path("id").asText(), TestClient.userMessage("go")));
      List<JsonNode> first = ws.untilTerminal();
      assertThat(terminal(first).path("type").asText()).isEqualTo("response.completed");
      JsonNode call = itemDone(first);
      assertThat(call.path("type").asText()).isEqualTo("function_call");

      ws.send(create(terminal(first).get("response").path("id").asText(), output(call, "step 1\n")));
      List<JsonNode> second = ws.untilTerminal();
      JsonNode done = terminal(second).get("response");
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(itemDone(second).path("type").asText()).isEqualTo("message");
      JsonNode usage = done.get("usage");
      assertThat(usage.path("input_tokens_details").path("cached_tokens").asLong()).isPositive()
          .isLessThan(usage.path("input_tokens").asLong());

      EmulatorStats s = emu.stats();
      assertThat(s.websocketHandshakes()).isEqualTo(1);
      assertThat(s.websocketRequests()).isEqualTo(3);
      assertThat(s.fullCreates()).isEqualTo(1);
      assertThat(s.incrementalCreates()).isEqualTo(2);
      assertThat(s.cacheHits()).isEqualTo(2);
      assertThat(s.cacheMisses()).isZero();
      assertThat(s.httpRequests()).isZero();
      int received = warmEvents.size() + first.size() + second.size();
      long payloadOut = 0;
      for (List<JsonNode> batch : List.of(warmEvents, first, second)) {
        for (JsonNode e : batch) {
          payloadOut += e.toString().getBytes(StandardCharsets.UTF_8).length;
        }
      }
      assertThat(s.websocket().framesIn()).isEqualTo(3);
      assertThat(s.websocket().framesOut()).isEqualTo(received);
      assertThat(s.websocket().payloadBytesOut()).isEqualTo(payloadOut);
      assertThat(s.websocket().wireBytesIn()).isPositive();
      assertThat(s.websocket().wireBytesOut()).isPositive();
      assertThat(s.requestFirstByteMicros()).hasSize(3);
    }
  }

  @Test
  void unknownPreviousResponseWithStoreFalseIsAnErrorEvent() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults())) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ws.send(create("resp_unknown", TestClient.userMessage("hi")));
      JsonNode error = ws.next();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("status").asInt()).isEqualTo(400);
      assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("error").path("code").asText()).isEqualTo("previous_response_not_found");
      assertThat(error.path("error").path("param").asText()).isEqualTo("previous_response_id");
      assertThat(emu.stats().cacheMisses()).isEqualTo(1);
      // the socket stays usable: a full create still works
      ws.send(create(null, TestClient.userMessage("again")));
      assertThat(terminal(ws.untilTerminal()).path("type").asText()).isEqualTo("response.completed");
    }
  }

  @Test
  void lanesRunSideBySideAndEveryEventCarriesItsStreamId() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults())) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ws.send(create(null, TestClient.userMessage("first lane")).put("stream_id", "lane.a"));
      ws.send(create(null, TestClient.userMessage("second lane")).put("stream_id", "lane-b"));
      List<JsonNode> all = new ArrayList<>();
      Set<String> finished = new HashSet<>();
      while (finished.size() < 2) {
        JsonNode e = ws.next();
        all.add(e);
        if (e.path("type").asText().equals("response.completed")) {
          finished.add(e.path("stream_id").asText());
        }
      }
      assertThat(finished).containsExactlyInAnyOrder("lane.a", "lane-b");
      assertThat(all).allMatch(e -> e.has("stream_id"));
      ws.send(create(null, TestClient.userMessage("x")).put("stream_id", "bad id!"));
      JsonNode error = ws.next();
      assertThat(error.path("error").path("code").asText()).isEqualTo("invalid_stream_id");
    }
  }

  @Test
  void aSeventeenthResponseInFlightIsRefusedWithStreamLimitReached() throws Exception {
    // responses stay in flight for 10 s, far longer than sending 17 frames takes even on a busy machine
    LatencyModel slow = new LatencyModel(10_000, 0, 0, 0, 0);
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withLatency(slow))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      for (int i = 0; i < 17; i++) {
        ws.send(create(null, TestClient.userMessage("lane " + i)).put("stream_id", "l" + i));
      }
      JsonNode first = ws.next();
      while (!first.path("type").asText().equals("error")) {
        first = ws.next();
      }
      assertThat(first.path("error").path("code").asText()).isEqualTo("websocket_stream_limit_reached");
      assertThat(first.path("stream_id").asText()).isEqualTo("l16");
    }
  }

  @Test
  void aThirtyThirdNamedLaneIsRefused() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults())) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      for (int i = 0; i < 32; i++) {
        ws.send(create(null, TestClient.userMessage("lane " + i)).put("stream_id", "named" + i));
        JsonNode e = ws.next();
        while (!e.path("type").asText().equals("response.completed")) {
          assertThat(e.path("type").asText()).as("lane %d", i).isNotEqualTo("error");
          e = ws.next();
        }
      }
      ws.send(create(null, TestClient.userMessage("one too many")).put("stream_id", "named32"));
      JsonNode error = ws.next();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("error").path("code").asText()).isEqualTo("websocket_stream_limit_reached");
    }
  }

  @Test
  void connectionAgeLimitSendsTheErrorOnAnIdleSocketThenCloses() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withWebsocketMaxAge(Duration
        .ofMillis(200)))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      JsonNode error = ws.next();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("status").asInt()).isEqualTo(400);
      assertThat(error.path("error").path("code").asText()).isEqualTo("websocket_connection_limit_reached");
      assertThat(ws.nextRaw()).startsWith("CLOSE");
    }
  }

  @Test
  void previousResponseNotFoundFaultEvictsTheParentSoOnlyAFullResendWorks() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2").withFaults(
        "previous_response_not_found@2"))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ObjectNode user = TestClient.userMessage("go");
      ws.send(create(null, user));
      List<JsonNode> first = ws.untilTerminal();
      JsonNode call = itemDone(first);
      String id = terminal(first).get("response").path("id").asText();
      ws.send(create(id, output(call, "step 1")));
      JsonNode error = ws.next();
      assertThat(error.path("error").path("code").asText()).isEqualTo("previous_response_not_found");
      ws.send(create(id, output(call, "step 1")));
      assertThat(ws.next().path("error").path("code").asText()).isEqualTo("previous_response_not_found");
      ws.send(create(null, user, call, output(call, "step 1")));
      List<JsonNode> recovered = ws.untilTerminal();
      assertThat(terminal(recovered).path("type").asText()).isEqualTo("response.completed");
      assertThat(Json.MAPPER.readTree(itemDone(recovered).path("arguments").asText()).path("command").asText())
          .isEqualTo("echo step 2");
      assertThat(emu.stats().faultsInjected()).isEqualTo(1);
    }
  }

  @Test
  void upgradeRefusalFaultAnswers426() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withFaults("upgrade426@1"))) {
      TestClient client = new TestClient(emu.baseUrl());
      try {
        client.websocket();
        throw new AssertionError("the upgrade should have been refused");
      } catch (java.util.concurrent.CompletionException e) {
        assertThat(e).rootCause().hasMessageContaining("426");
      }
      TestClient.WsConnection second = client.websocket();
      second.send(create(null, TestClient.userMessage("ok")));
      assertThat(terminal(second.untilTerminal()).path("type").asText()).isEqualTo("response.completed");
    }
  }

  @Test
  void createsOnOneLaneQueueAndPingsGetPongs() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults())) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ws.socket.sendPing(java.nio.ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
      assertThat(ws.nextRaw()).isEqualTo("PONG are you there");
      ws.send(create(null, TestClient.userMessage("one")));
      ws.send(create(null, TestClient.userMessage("two")));
      List<JsonNode> first = ws.untilTerminal();
      List<JsonNode> second = ws.untilTerminal();
      assertThat(TestClient.types(first)).startsWith("response.created").endsWith("response.completed");
      assertThat(TestClient.types(second)).startsWith("response.created").endsWith("response.completed");
      assertThat(itemDone(first).path("content").get(0).path("text").asText()).isEqualTo("one");
      assertThat(itemDone(second).path("content").get(0).path("text").asText()).isEqualTo("two");
    }
  }

  @Test
  void close1008FaultClosesBeforeCompletedAndResponseFailedFaultEvictsTheParent() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2").withFaults(
        "close1008@1,failed@2"))) {
      TestClient client = new TestClient(emu.baseUrl());
      TestClient.WsConnection ws = client.websocket();
      ws.send(create(null, TestClient.userMessage("go")));
      String raw;
      List<String> seen = new ArrayList<>();
      do {
        raw = ws.nextRaw();
        seen.add(raw);
      } while (!raw.startsWith("CLOSE"));
      assertThat(raw).isEqualTo("CLOSE 1008");
      assertThat(seen).noneMatch(m -> m.contains("response.completed"));
      TestClient.WsConnection again = client.websocket();
      again.send(create(null, TestClient.userMessage("go")));
      List<JsonNode> first = again.untilTerminal();
      JsonNode call = itemDone(first);
      String id = terminal(first).get("response").path("id").asText();
      again.send(create(id, output(call, "step 1")));
      assertThat(terminal(again.untilTerminal()).path("type").asText()).isEqualTo("response.failed");
      again.send(create(id, output(call, "step 1")));
      assertThat(again.next().path("error").path("code").asText()).isEqualTo("previous_response_not_found");
      assertThat(emu.stats().faultsInjected()).isEqualTo(2);
    }
  }
}
