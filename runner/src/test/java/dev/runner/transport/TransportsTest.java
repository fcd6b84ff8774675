package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransportsTest {
  @Test
  void aRefusedUpgradeFallsBackToHttpForThisAndLaterSessions() {
    RecordingListener listener = new RecordingListener();
    TestTime time = new TestTime();
    try (FakeServer server = new FakeServer().refuseUpgrade(426);
        ModelTransport t = Transports.create(server.settings().build(), TransportKind.WEBSOCKET, false, listener, time,
            time)) {
      TurnResult first;
      try (TransportSession s = t.openSession()) {
        first = s.send(Requests.first("x"), e -> {}, Requests.soon());
      }
      try (TransportSession s = t.openSession()) {
        s.send(Requests.first("y"), e -> {}, Requests.soon());
      }
      assertThat(first.facts().transport()).isEqualTo(TransportKind.HTTP);
      assertThat(t.kind()).isEqualTo(TransportKind.HTTP);
      assertThat(server.upgradeAttempts()).isEqualTo(1);
      assertThat(server.bodies).hasSize(2);
      assertThat(listener.calls.stream().filter("fallback"::equals).count()).isEqualTo(1);
      assertThat(time.sleeps).isEmpty();
    }
  }

  @Test
  void aRefusedUpgradeMetWhilePreconnectingFallsBackAtTheFirstTurn() {
    RecordingListener listener = new RecordingListener();
    TestTime time = new TestTime();
    try (FakeServer server = new FakeServer().refuseUpgrade(426);
        ModelTransport t = Transports.create(server.settings().build(), TransportKind.WEBSOCKET, false, listener, time,
            time)) {
      t.preconnect(Requests.soon());
      TurnResult first;
      try (TransportSession s = t.openSession()) {
        first = s.send(Requests.first("x"), e -> {}, Requests.soon());
      }
      assertThat(first.facts().transport()).isEqualTo(TransportKind.HTTP);
      assertThat(server.upgradeAttempts()).isEqualTo(1);
      assertThat(listener.calls.stream().filter("fallback"::equals).count()).isEqualTo(1);
    }
  }
}
