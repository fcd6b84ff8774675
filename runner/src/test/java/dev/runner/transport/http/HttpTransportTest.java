package dev.runner.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.protocol.Item;
import dev.runner.protocol.StreamEvent;
import dev.runner.transport.Events;
import dev.runner.transport.FakeServer;
import dev.runner.transport.FakeServer.HttpReply;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.Requests;
import dev.runner.transport.TestTime;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
  private final FakeServer server = new FakeServer();
  private final TestTime time = new TestTime();
  private final RecordingListener listener = new RecordingListener();
  private HttpTransport transport;

  private TransportSession session() {
    transport = new HttpTransport(server.settings().build(), listener, time, time, RandomGenerator.getDefault());
    return transport.openSession();
  }

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
    server.close();
  }

  @Test
  void aTurnStreamsEventsAndReturnsTheItemsAndUsage() {
    List<StreamEvent> seen = new ArrayList<>();
    TurnResult r = session().send(Requests.first("hello"), seen::add, Requests.soon());
    assertThat(r.response().id()).isEqualTo("resp_0");
    assertThat(r.response().usage().totalTokens()).isEqualTo(15);
    assertThat(r.output()).singleElement().isInstanceOfSatisfying(Item.Message.class,
        m -> assertThat(m.text()).isEqualTo("hi"));
    assertThat(seen).extracting(StreamEvent::type).containsExactly("response.created", "response.output_text.delta",
        "response.output_item.done", "response.completed");
    assertThat(r.facts().incremental()).isFalse();
    Map<String, String> headers = server.postHeaders.get(0);
    assertThat(headers.get("Authorization")).isEqualTo("Bearer sk-test-secret-key-123");
    assertThat(headers.get("Accept")).isEqualTo("text/event-stream");
    assertThat(headers.get("Content-Type")).isEqualTo("application/json");
    assertThat(server.bodies.get(0).path("stream").asBoolean()).isTrue();
  }

  @Test
  void aServerThatStreamsNoItemsStillHasItsAnswerReadFromTheCompletedResponse() {
    assertThat(onlyMessageOf(List.of(Events.created("resp_x"), Events.completedWithMessage("resp_x", "only here"))))
        .isEqualTo("only here");
  }

  @Test
  void streamedItemsWinOverTheCompletedResponsesList() {
    assertThat(onlyMessageOf(List.of(Events.created("resp_y"), Events.messageDone(0, "streamed"),
        Events.completedWithMessage("resp_y", "listed")))).isEqualTo("streamed");
  }

  /** Sends one turn answered by {@code events}; the text of the turn's single item, which must be a message. */
  private String onlyMessageOf(List<String> events) {
    server.http((i, b) -> new HttpReply.Sse(events, false));
    TurnResult r = session().send(Requests.first("hello"), e -> {}, Requests.soon());
    assertThat(r.output()).singleElement().isInstanceOf(Item.Message.class);
    return ((Item.Message) r.output().get(0)).text();
  }

  @Test
  void everyTurnSendsTheFullInputOverOneReusedConnection() {
    TransportSession s = session();
    TurnRequest t1 = Requests.first("one");
    TurnResult r1 = s.send(t1, e -> {}, Requests.soon());
    TurnRequest t2 = Requests.next(t1, r1, "two");
    TurnResult r2 = s.send(t2, e -> {}, Requests.soon());
    s.send(Requests.next(t2, r2, "three"), e -> {}, Requests.soon());
    assertThat(server.bodies).hasSize(3);
    assertThat(server.bodies.get(2).path("input")).hasSize(5);
    assertThat(server.bodies).allSatisfy(b -> assertThat(b.has("previous_response_id")).isFalse());
    assertThat(server.connections.get()).isEqualTo(1);
  }

  @Test
  void retriesA500ThenSucceeds() {
    server.http((i, b) -> i == 0
        ? new HttpReply.Status(500, Map.of(), "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")
        : new HttpReply.Sse(Events.message("resp_ok", "fine"), false));
    TurnResult r = session().send(Requests.first("x"), e -> {}, Requests.soon());
    assertThat(r.response().id()).isEqualTo("resp_ok");
    assertThat(r.facts().requestRetries()).isEqualTo(1);
    assertThat(time.sleeps).singleElement()
        .satisfies(d -> assertThat(d.toMillis()).isBetween(180L, 220L));
    assertThat(listener.calls).contains("retry");
  }

  @Test
  void aStoredParentIsChainedFromAndAGoneOneIsResentInFullOnceEvenAcrossARetry() {
    List<Item> history = List.of(Item.Message.user("one"), Item.Message.user("earlier answer"));
    session().send(Requests.resumed(history, "resp_kept", "two"), e -> {}, Requests.soon());
    assertThat(server.bodies).singleElement().satisfies(b -> {
      assertThat(b.path("previous_response_id").asText()).isEqualTo("resp_kept");
      assertThat(b.path("input")).hasSize(1);
    });
    assertThat(listener.calls).contains("requestSent:incremental").doesNotContain("requestSent:full");

    server.bodies.clear(); // the script's index counts the bodies kept
    server.http((i, b) -> switch (i) {
      case 0 -> new HttpReply.Status(400, Map.of(), "{\"error\":{\"message\":\"Previous response with id"
          + " 'resp_gone' not found.\",\"type\":\"invalid_request_error\",\"code\":\"previous_response_not_found\","
          + "\"param\":\"previous_response_id\"}}");
      case 1 -> new HttpReply.Status(500, Map.of(), "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
      default -> new HttpReply.Sse(Events.message("resp_" + i, "fine"), false);
    });
    TurnResult r = session().send(Requests.resumed(history, "resp_gone", "two"), e -> {}, Requests.soon());
    assertThat(r.response().id()).isEqualTo("resp_2");
    assertThat(r.facts().incremental()).isFalse();
    assertThat(server.bodies).hasSize(3);
    assertThat(server.bodies.get(0).path("previous_response_id").asText()).isEqualTo("resp_gone");
    // the full resend, and its retry after the 500: the gone parent is not asked for again
    assertThat(server.bodies.subList(1, 3)).allSatisfy(b -> {
      assertThat(b.has("previous_response_id")).isFalse();
      assertThat(b.path("input")).hasSize(3);
    });
    assertThat(listener.calls.stream().filter(c -> c.startsWith("requestSent"))).containsExactly(
        "requestSent:incremental", "requestSent:incremental", "requestSent:full", "requestSent:full");
    assertThat(listener.calls).containsOnlyOnce("retry"); // the 500; the refused parent was no failed attempt
  }

  @Test
  void doesNotRetryA400AndReportsTheApiError() {
    server.http((i, b) -> new HttpReply.Status(400, Map.of(),
        "{\"error\":{\"message\":\"bad input\",\"type\":\"invalid_request_error\",\"code\":\"bad_thing\"}}"));
    assertThatThrownBy(() -> session().send(Requests.first("x"), e -> {}, Requests.soon()))
        .isInstanceOfSatisfying(RunnerException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.TASK_FAILED);
          assertThat(e.getMessage()).contains("400").contains("bad_thing").contains("bad input");
        });
    assertThat(server.bodies).hasSize(1);
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void honoursRetryAfterOnA429() {
    server.http((i, b) -> i == 0
        ? new HttpReply.Status(429, Map.of("Retry-After", "3"),
            "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}")
        : new HttpReply.Sse(Events.message("resp_ok", "fine"), false));
    session().send(Requests.first("x"), e -> {}, Requests.soon());
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void neverRetriesInsufficientQuota() {
    server.http((i, b) -> new HttpReply.Status(429, Map.of(),
        "{\"error\":{\"message\":\"pay up\",\"code\":\"insufficient_quota\"}}"));
    assertThatThrownBy(() -> session().send(Requests.first("x"), e -> {}, Requests.soon()))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.TASK_FAILED));
    assertThat(server.bodies).hasSize(1);
  }

  @Test
  void aStreamThatBreaksBeforeCompletedIsRetriedAsAStreamError() {
    server.http((i, b) -> new HttpReply.Sse(i == 0
        ? List.of(Events.created("resp_a"), Events.textDelta("par"))
        : Events.message("resp_b", "whole"), i == 0));
    TurnResult r = session().send(Requests.first("x"), e -> {}, Requests.soon());
    assertThat(r.response().id()).isEqualTo("resp_b");
    assertThat(r.facts().streamRetries() + r.facts().requestRetries()).isEqualTo(1);
  }

  @Test
  void exhaustedRetriesAreATransportFailure() {
    server.http((i, b) -> new HttpReply.Status(503, Map.of(), "{\"error\":{\"message\":\"down\"}}"));
    transport = new HttpTransport(server.settings().retries(2, 1).build(), listener, time, time,
        RandomGenerator.getDefault());
    assertThatThrownBy(() -> transport.openSession().send(Requests.first("x"), e -> {}, Requests.soon()))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT));
    assertThat(server.bodies).hasSize(3);
  }

  @Test
  void theDeadlineEndsAHungTurnWithATimeout() {
    server.http((i, b) -> new HttpReply.Hang());
    Instant deadline = Instant.now().plusMillis(300);
    assertThatThrownBy(() -> session().send(Requests.first("x"), e -> {}, deadline))
        .isInstanceOfSatisfying(RunnerException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.TIMEOUT));
  }

  @Test
  void listenerCallbacksFireInTheDocumentedOrder() {
    TransportSession s = session();
    s.send(Requests.first("x"), e -> {}, Requests.soon());
    s.send(Requests.first("y"), e -> {}, Requests.soon());
    assertThat(listener.calls).containsExactly("connectStart", "connectEnd", "requestSent:full", "firstEvent",
        "firstOutputDelta", "responseCompleted", "requestSent:full", "firstEvent", "firstOutputDelta",
        "responseCompleted");
    assertThat(listener.frames).isEqualTo(8);
  }
}
