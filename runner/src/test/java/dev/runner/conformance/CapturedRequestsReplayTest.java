package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.conformance.Captures.Capture;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays what real clients sent (codex-cli, openai-node, openai-java, @openai/agents, the AI SDK) to the emulator:
 * each HTTP body is POSTed, each captured WebSocket connection's frames are sent in order over one socket. Every
 * request must be answered with a completed response. Scenario {@code tools:0} answers every request with a final
 * message (built from {@code text.format} when a schema is given), whatever tool outputs the input already holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapturedRequestsReplayTest {
  private RunningEmulator emulator;
  private Wire wire;

  @BeforeAll
  void start() {
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:0"));
    wire = new Wire(emulator.baseUrl());
  }

  @AfterAll
  void stop() {
    if (wire != null) {
      wire.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  Stream<Capture> httpRequests() {
    return Captures.load().httpRequests().stream();
  }

  /** Captured WebSocket connections (each capture file holds at most one) and their client frames in order. */
  Stream<Arguments> connections() {
    Map<String, List<Capture>> byConnection = new LinkedHashMap<>();
    Captures all = Captures.load();
    for (Capture frame : all.clientFrames()) {
      byConnection.computeIfAbsent(frame.file(), k -> new java.util.ArrayList<>()).add(frame);
    }
    return byConnection.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("httpRequests")
  void capturedHttpRequestIsAnsweredWithACompletedResponse(Capture capture) throws Exception {
    Wire.Answer answer = wire.post("/responses", capture.payload().toString());
    assertThat(answer.status()).as(capture + ": " + answer.body()).isEqualTo(200);
    if (capture.payload().path("stream").asBoolean(false)) {
      List<JsonNode> events = answer.sseEvents();
      assertThat(events).as(capture.toString()).isNotEmpty();
      assertThat(events.getLast().path("type").asText()).as(capture + ": " + events.getLast())
          .isEqualTo("response.completed");
    } else {
      assertThat(answer.json().path("status").asText()).as(capture + ": " + answer.body()).isEqualTo("completed");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("connections")
  void capturedWebSocketConversationIsAnsweredTurnByTurn(String file, List<Capture> frames) throws Exception {
    try (Wire.Socket socket = wire.socket()) {
      String lastId = null;
      for (Capture capture : frames) {
        ObjectNode frame = capture.payload().deepCopy();
        if (frame.has("previous_response_id")) {
          // The captured id belongs to the capturing server; chain to what this server answered last instead.
          assertThat(lastId).as(capture + " chains to a response, but none came before it").isNotNull();
          frame.put("previous_response_id", lastId);
        }
        socket.send(frame);
        List<JsonNode> events = socket.untilTerminal();
        JsonNode last = events.getLast();
        assertThat(last.path("type").asText()).as(capture + ": " + last).isEqualTo("response.completed");
        lastId = last.path("response").path("id").asText();
      }
    }
  }
}
