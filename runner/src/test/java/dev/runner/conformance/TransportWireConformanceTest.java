package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.transport.FakeServer;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSession;
import dev.runner.transport.Transports;
import dev.runner.transport.emulated.Emulated;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the transport itself puts on real sockets, not just what the encoder returns: a capturing server plays two tool
 * calls and an answer, the runner's tool list rides along, and every POST body and every {@code response.create}
 * frame (warm-up, full, incremental, lanes) is held against the spec and the service's own rules.
 */
class TransportWireConformanceTest {
  private static OpenApiSpec spec;

  @BeforeAll
  static void load() {
    spec = OpenApiSpec.get();
  }

  /** Call 1 after the prompt, call 2 after output 1, then an answer; decided by the newest input item. */
  static List<String> reply(String id, JsonNode request) {
    JsonNode input = request.path("input");
    JsonNode last = input.isEmpty() ? null : input.get(input.size() - 1);
    String callId = last == null ? "" : last.path("call_id").asText("");
    if (callId.equals("call_2")) {
      return dev.runner.transport.Events.message(id, "done");
    }
    int n = callId.equals("call_1") ? 2 : 1;
    String call = "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,\"item\":{"
        + "\"type\":\"function_call\",\"id\":\"fc_" + n + "\",\"call_id\":\"call_" + n + "\",\"name\":\"shell\","
        + "\"arguments\":\"{\\\"command\\\":\\\"echo step " + n + "\\\"}\",\"status\":\"completed\"}}";
    return List.of(dev.runner.transport.Events.created(id), call, dev.runner.transport.Events.completed(id));
  }

  static FakeServer server() {
    return new FakeServer().http((i, body) -> new FakeServer.HttpReply.Sse(reply("resp_h" + i, body), false))
        .ws((c, i, frame) -> FakeServer.WsReply.of(frame.path("generate").asBoolean(true)
            ? reply("resp_w" + i, frame)
            : List.of(dev.runner.transport.Events.created("resp_w" + i),
                dev.runner.transport.Events.completed("resp_w" + i))));
  }

  @Test
  void everyBodyAndFrameTheTransportSendsIsValid() {
    try (FakeServer server = server()) {
      for (TransportKind kind : TransportKind.values()) {
        for (boolean lanes : new boolean[]{false, true}) {
          try (ModelTransport t = Transports.create(server.settings().warmup(true).websocketLanes(lanes).build(),
              kind, true, new RecordingListener()); TransportSession s = t.openSession()) {
            assertThat(Emulated.converse(s, "list the steps", Emulated.deadline()).answer()).isEqualTo("done");
          }
        }
      }
      assertThat(server.bodies).hasSize(6);
      assertThat(server.frames).hasSize(8);
      List<JsonNode> incremental = new ArrayList<>();
      for (JsonNode body : server.bodies) {
        assertThat(spec.errors("CreateResponse", body)).as(body.toString()).isEmpty();
        assertThat(ServiceRules.createResponse(body)).as(body.toString()).isEmpty();
        assertThat(ServiceRules.functionTools(body)).as(body.toString()).isEmpty();
      }
      for (JsonNode frame : server.frames) {
        assertThat(spec.errors("ResponsesClientEvent", frame)).as(frame.toString()).isEmpty();
        assertThat(ServiceRules.createResponse(frame)).as(frame.toString()).isEmpty();
        assertThat(ServiceRules.functionTools(frame)).as(frame.toString()).isEmpty();
        if (frame.has("previous_response_id")) {
          incremental.add(frame);
        }
      }
      // the frames cover the interesting shapes: warm-ups, chained turns, lanes
      assertThat(server.frames).anyMatch(f -> f.path("generate").isBoolean() && !f.path("generate").asBoolean());
      assertThat(incremental).hasSize(6); // with a warm-up, every turn chains, the first from the warm-up
      assertThat(server.frames).anyMatch(f -> f.has("stream_id"));
    }
  }
}
