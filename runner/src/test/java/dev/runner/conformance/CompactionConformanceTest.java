package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseRequest;
import dev.runner.transport.TransportListener;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.http.HttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Compaction held against the spec: the emulator's {@code POST /responses/compact} answer ({@code CompactResource}),
 * its streams carrying a compaction item ({@code ResponseStreamEvent}, {@code ResponsesServerEvent}), requests with
 * {@code context_management} and a compaction item as input ({@code CreateResponse}), and the body the runner's HTTP
 * transport sends to compact ({@code CompactResponseMethodPublicBody}).
 */
class CompactionConformanceTest {
  static final String TASK = "list the files. " + "Padding that makes the context cross the threshold. ".repeat(90);

  static ObjectNode create(boolean stream) {
    ObjectNode body = EmulatorWireConformanceTest.request(stream);
    ((ObjectNode) body.get("input").get(0)).put("content", TASK);
    body.put("store", false);
    body.putArray("context_management").addObject().put("type", "compaction").put("compact_threshold", 1000);
    return body;
  }

  @Test
  void compactAnswerStreamsAndRequestsMatchTheSpec() throws Exception {
    OpenApiSpec spec = OpenApiSpec.get();
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        Wire wire = new Wire(emu.baseUrl())) {
      List<String> problems = new ArrayList<>();
      ObjectNode sse = create(true);
      spec.errors("CreateResponse", sse).forEach(e -> problems.add("request: " + e));
      List<JsonNode> events = wire.post("/responses", sse.toString()).sseEvents();
      JsonNode compaction = null;
      for (JsonNode e : events) {
        spec.errors("ResponseStreamEvent", e).forEach(p -> problems.add("SSE " + e.path("type").asText() + ": " + p));
        if (e.path("type").asText().equals("response.output_item.done")
            && e.path("item").path("type").asText().equals("compaction")) {
          compaction = e.get("item");
        }
      }
      JsonNode completed = events.get(events.size() - 1).get("response");
      spec.errors("Response", completed).forEach(p -> problems.add("completed response: " + p));
      assertThat(compaction).as("a compaction item in the stream").isNotNull();

      ObjectNode compact = Captures.JSON.createObjectNode().put("model", "mock-model");
      compact.set("input", sse.get("input").deepCopy());
      spec.errors("CompactResponseMethodPublicBody", compact).forEach(p -> problems.add("compact request: " + p));
      Wire.Answer answer = wire.post("/responses/compact", compact.toString());
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      spec.errors("CompactResource", answer.json()).forEach(p -> problems.add("compact answer: " + p));

      ObjectNode next = create(true);
      next.putArray("input").add(compaction);
      spec.errors("CreateResponse", next).forEach(e -> problems.add("request with compaction input: " + e));
      Wire.Answer continued = wire.post("/responses", next.toString());
      assertThat(continued.status()).as(continued.body()).isEqualTo(200);

      try (Wire.Socket socket = wire.socket()) {
        ObjectNode frame = create(false).put("type", "response.create");
        spec.errors("ResponsesClientEvent", frame).forEach(e -> problems.add("WS request: " + e));
        socket.send(frame);
        List<JsonNode> wsEvents = socket.untilTerminal();
        assertThat(wsEvents).as("WebSocket events").isNotEmpty();
        for (JsonNode e : wsEvents) {
          spec.errors("ResponsesServerEvent", e).forEach(p -> problems.add("WS " + e.path("type").asText() + ": "
              + p));
        }
      }
      assertThat(problems).isEmpty();
    }
  }

  @Test
  void theRunnersCompactBodyMatchesTheSpec() {
    OpenApiSpec spec = OpenApiSpec.get();
    List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    String ok = "{\"id\":\"resp_c\",\"object\":\"response.compaction\",\"created_at\":1,\"output\":[],"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1,\"total_tokens\":2}}";
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.post("/v1/responses/compact", (req, res) -> req.receive().aggregate().asString()
            .flatMap(text -> {
              try {
                bodies.add(Captures.JSON.readTree(text));
              } catch (java.io.IOException e) {
                return Mono.error(e);
              }
              return Mono.from(res.header("content-type", "application/json").sendString(Mono.just(ok)));
            })))
        .bindNow(Duration.ofSeconds(10));
    TransportSettings settings = TransportSettings.builder("test", "http://127.0.0.1:" + server.port() + "/v1")
        .apiKey(() -> "k").build();
    try (HttpTransport t = new HttpTransport(settings, new TransportListener() {
    })) {
      List<Item> input = List.of(Item.Message.user("task"), new Item.FunctionCall("fc_1", "call_1", "shell",
          "{\"command\":\"ls\"}", "completed"), new Item.FunctionCallOutput("call_1", "a\nb\n"),
          new Item.Compaction("cmp_0", "opaque"));
      t.compact(new ResponseRequest("gpt-test", "be brief", input, null, "auto", true, false, null, null, null, null,
          null, null, null, null), Instant.now().plusSeconds(20));
    } finally {
      server.disposeNow(Duration.ofSeconds(5));
    }
    assertThat(bodies).hasSize(1);
    assertThat(spec.errors("CompactResponseMethodPublicBody", bodies.get(0))).as(bodies.get(0).toString()).isEmpty();
    assertThat(bodies.get(0).path("instructions").asText()).isEqualTo("be brief");
    assertThat(bodies.get(0).path("input")).hasSize(4);
  }
}
