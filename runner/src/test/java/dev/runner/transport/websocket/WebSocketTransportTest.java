package dev.runner.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.protocol.Item;
import dev.runner.transport.Events;
import dev.runner.transport.FakeServer;
import dev.runner.transport.FakeServer.WsReply;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.Requests;
import dev.runner.transport.TestTime;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {
  private final FakeServer server = new FakeServer();
  private final TestTime time = new TestTime();
  private final RecordingListener listener = new RecordingListener();
  private WebSocketTransport transport;

  private WebSocketTransport transport(TransportSettings settings, boolean forced) {
    transport = new WebSocketTransport(settings, listener, forced, time, time, RandomGenerator.getDefault());
    return transport;
  }

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
    server.close();
  }

  @Test
  void theSecondTurnSendsOnlyNewItemsWithPreviousResponseId() {
    TransportSession s = transport(server.settings().build(), true).openSession();
    TurnRequest t1 = Requests.first("one");
    TurnResult r1 = s.send(t1, e -> {}, Requests.soon());
    TurnResult r2 = s.send(Requests.next(t1, r1, "two"), e -> {}, Requests.soon());
    assertThat(r1.facts().incremental()).isFalse();
    assertThat(r2.facts().incremental()).isTrue();
    assertThat(server.frames.get(0).path("type").asText()).isEqualTo("response.create");
    assertThat(server.frames.get(0).has("stream")).isFalse();
    assertThat(server.frames.get(1).path("previous_response_id").asText()).isEqualTo("resp_0");
    assertThat(server.frames.get(1).path("input")).hasSize(1);
    assertThat(server.handshakes.get()).isEqualTo(1);
    assertThat(server.handshakeHeaders.get(0).get("OpenAI-Beta")).isEqualTo("responses_websockets=2026-02-06");
    assertThat(server.handshakeHeaders.get(0).get("Authorization")).isEqualTo("Bearer sk-test-secret-key-123");
    assertThat(server.handshakeHeaders.get(0).get("Sec-WebSocket-Extensions")).contains("permessage-deflate");
    assertThat(listener.calls).containsExactly("connectStart", "connectEnd", "requestSent:full", "firstEvent",
        "firstOutputDelta", "responseCompleted", "requestSent:incremental", "firstEvent", "firstOutputDelta",
        "responseCompleted");
  }

  @Test
  void aGoneStoredParentIsResentInFullOnTheSameSocketAndNotAskedForAfterABreak() {
    server.ws((connection, index, frame) -> switch (index) {
      case 0 -> WsReply.of(List.of(Events.wsError(400, "previous_response_not_found")));
      case 1 -> new WsReply(List.of(Events.created("resp_x")), true); // the full resend's stream breaks
      default -> WsReply.of(Events.message("resp_" + index, "fine"));
    });
    TransportSession s = transport(server.settings().build(), true).openSession();
    List<Item> history = List.of(Item.Message.user("one"), Item.Message.user("earlier answer"));
    TurnResult r = s.send(Requests.resumed(history, "resp_gone", "two"), e -> {}, Requests.soon());
    assertThat(r.response().id()).isEqualTo("resp_2");
    assertThat(server.frames).hasSize(3);
    assertThat(server.frames.get(0).path("previous_response_id").asText()).isEqualTo("resp_gone");
    assertThat(server.frames.get(0).path("input")).hasSize(1);
    assertThat(server.frames.subList(1, 3)).allSatisfy(f -> {
      assertThat(f.has("previous_response_id")).isFalse();
      assertThat(f.path("input")).hasSize(3);
    });
    // the refusal and the resend shared a socket; only the break made a new one
    assertThat(server.handshakes.get()).isEqualTo(2);

    // the next turn chains from the response the resend made, on its socket, as any turn does
    TurnRequest next = Requests.next(Requests.resumed(history, null, "two"), r, "three");
    assertThat(s.send(next, e -> {}, Requests.soon()).facts().incremental()).isTrue();
    assertThat(server.frames.get(3).path("previous_response_id").asText()).isEqualTo("resp_2");
  }

  @Test
  void sequentialSessionsShareOneHandshakeAndStartFull() {
    WebSocketTransport t = transport(server.settings().build(), true);
    try (TransportSession a = t.openSession()) {
      a.send(Requests.first("a"), e -> {}, Requests.soon());
    }
    try (TransportSession b = t.openSession()) {
      TurnResult r = b.send(Requests.first("b"), e -> {}, Requests.soon());
      assertThat(r.facts().incremental()).isFalse();
    }
    assertThat(server.handshakes.get()).isEqualTo(1);
    assertThat(server.frames).hasSize(2);
  }

  @Test
  void theFirstTurnUsesTheSocketThatPreconnectOpened() throws InterruptedException {
    WebSocketTransport t = transport(server.settings().build(), true);
    t.preconnect(Requests.soon());
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (server.handshakes.get() == 0 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(server.handshakes.get()).as("handshakes before the first turn").isEqualTo(1);
    try (TransportSession s = t.openSession()) {
      s.send(Requests.first("one"), e -> {}, Requests.soon());
    }
    assertThat(server.handshakes.get()).isEqualTo(1);
    assertThat(listener.calls).startsWith("connectStart", "connectEnd", "requestSent:full");
  }

  @Test
  void aRefusedUpgradeMetWhilePreconnectingFailsTheFirstTurnWithoutASecondAttempt() {
    server.refuseUpgrade(426);
    WebSocketTransport t = transport(server.settings().build(), true);
    t.preconnect(Requests.soon());
    TransportSession s = t.openSession();
    assertThatThrownBy(() -> s.send(Requests.first("x"), e -> {}, Requests.soon()))
        .isInstanceOfSatisfying(RunnerException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT);
          assertThat(e.getMessage()).contains("426").contains("forced");
        });
    assertThat(server.upgradeAttempts()).isEqualTo(1);
  }

  @Test
  void previousResponseNotFoundIsRecoveredWithTheFullInputOnTheSameSocket() {
    server.ws((c, i, f) -> f.has("previous_response_id")
        ? WsReply.of(List.of(Events.wsError(400, "previous_response_not_found")))
        : WsReply.of(Events.message("resp_" + i, "ok")));
    TransportSession s = transport(server.settings().build(), true).openSession();
    TurnRequest t1 = Requests.first("one");
    TurnResult r1 = s.send(t1, e -> {}, Requests.soon());
    TurnResult r2 = s.send(Requests.next(t1, r1, "two"), e -> {}, Requests.soon());
    assertThat(r2.response().id()).isEqualTo("resp_2");
    assertThat(r2.facts().incremental()).isFalse();
    assertThat(server.frames).hasSize(3);
    assertThat(server.frames.get(2).has("previous_response_id")).isFalse();
    assertThat(server.frames.get(2).path("input")).hasSize(3);
    assertThat(server.handshakes.get()).isEqualTo(1);
  }

  @Test
  void aCloseBeforeCompletedReconnectsAndResendsTheFullInput() {
    server.ws((c, i, f) -> i == 1
        ? new WsReply(List.of(Events.created("resp_x")), true)
        : WsReply.of(Events.message("resp_" + i, "ok")));
    TransportSession s = transport(server.settings().build(), true).openSession();
    TurnRequest t1 = Requests.first("one");
    TurnResult r1 = s.send(t1, e -> {}, Requests.soon());
    TurnResult r2 = s.send(Requests.next(t1, r1, "two"), e -> {}, Requests.soon());
    assertThat(r2.response().id()).isEqualTo("resp_2");
    assertThat(r2.facts().reconnects()).isEqualTo(1);
    assertThat(r2.facts().streamRetries()).isEqualTo(1);
    assertThat(server.handshakes.get()).isEqualTo(2);
    assertThat(server.frames.get(2).has("previous_response_id")).isFalse();
    assertThat(server.frames.get(2).path("input")).hasSize(3);
    assertThat(listener.calls).contains("reconnect");
  }

  @Test
  void theConnectionLimitErrorReconnectsWithTheFullInput() {
    server.ws((c, i, f) -> i == 1
        ? WsReply.of(List.of(Events.wsError(400, "websocket_connection_limit_reached")))
        : WsReply.of(Events.message("resp_" + i, "ok")));
    TransportSession s = transport(server.settings().build(), true).openSession();
    TurnRequest t1 = Requests.first("one");
    TurnResult r1 = s.send(t1, e -> {}, Requests.soon());
    TurnResult r2 = s.send(Requests.next(t1, r1, "two"), e -> {}, Requests.soon());
    assertThat(r2.facts().incremental()).isFalse();
    assertThat(server.handshakes.get()).isEqualTo(2);
  }

  @Test
  void aRefusedUpgradeWhenForcedIsATransportFailure() {
    server.refuseUpgrade(426);
    TransportSession s = transport(server.settings().build(), true).openSession();
    assertThatThrownBy(() -> s.send(Requests.first("x"), e -> {}, Requests.soon()))
        .isInstanceOfSatisfying(RunnerException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT);
          assertThat(e.getMessage()).contains("426").contains("forced");
        });
    assertThat(server.upgradeAttempts()).isEqualTo(1);
  }

  @Test
  void aWarmUpPrecedesTheFirstTurnWhichThenChainsFromIt() {
    TransportSession s = transport(server.settings().warmup(true).build(), true).openSession();
    TurnResult r = s.send(Requests.first("one"), e -> {}, Requests.soon());
    assertThat(server.frames.get(0).path("generate").asBoolean(true)).isFalse();
    assertThat(server.frames.get(0).path("input")).isEmpty();
    assertThat(server.frames.get(1).path("previous_response_id").asText()).isEqualTo("resp_0");
    assertThat(r.facts().incremental()).isTrue();
  }

  @Test
  void lanesLetConcurrentSessionsShareOneSocket() {
    WebSocketTransport t = transport(server.settings().websocketLanes(true).build(), true);
    try (TransportSession a = t.openSession(); TransportSession b = t.openSession()) {
      TurnResult ra = a.send(Requests.first("a"), e -> {}, Requests.soon());
      TurnResult rb = b.send(Requests.first("b"), e -> {}, Requests.soon());
      assertThat(ra.response().id()).isNotEqualTo(rb.response().id());
    }
    assertThat(server.handshakes.get()).isEqualTo(1);
    assertThat(server.frames).extracting(f -> f.path("stream_id").asText()).containsExactly("lane-1", "lane-2");
  }

  @Test
  void urlsMapHttpToWs() {
    assertThat(WebSocketTransport.websocketUrl("https://api.example.com/v1/responses?a=b"))
        .isEqualTo("wss://api.example.com/v1/responses?a=b");
    assertThat(WebSocketTransport.websocketUrl("http://127.0.0.1:8/v1/responses")).isEqualTo(
        "ws://127.0.0.1:8/v1/responses");
  }
}
