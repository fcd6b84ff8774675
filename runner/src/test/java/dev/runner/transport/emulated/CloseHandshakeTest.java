package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.TurnObserver;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.Transports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Closing the transport is the closing handshake for every socket, the one a session still holds included (as when a
 * signal or an error ends the run mid-conversation), and it is bounded when the server never answers.
 */
class CloseHandshakeTest {
  private static EmulatorStats settled(RunningEmulator emulator, long closes) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    EmulatorStats s = emulator.stats();
    while (s.websocketCloses().values().stream().mapToLong(Long::longValue).sum() < closes
        && System.nanoTime() < until) {
      Thread.sleep(20);
      s = emulator.stats();
    }
    return s;
  }

  @Test
  void aSocketStillLeasedMidConversationIsClosedWith1000() throws Exception {
    try (RunningEmulator emulator = Emulated.start("tools:3", "")) {
      for (int i = 0; i < 10; i++) {
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, true,
            new RecordingListener());
        TransportSession session = t.openSession();
        session.send(TurnRequest.first(Emulated.request(List.of(Item.Message.user("interrupted " + i)))),
            TurnObserver.NONE, Emulated.deadline());
        t.close(); // the session is never closed: the run ended in the middle of it
      }
      EmulatorStats s = settled(emulator, 10);
      assertThat(s.websocketHandshakes()).isEqualTo(10);
      assertThat(s.websocketCloses()).containsExactly(Map.entry("1000", 10L));
    }
  }

  @Test
  void aServerThatNeverAnswersTheCloseFrameCostsAtMostTheReplyWait() throws Exception {
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        BlackHoleRelay relay = new BlackHoleRelay(emulator.port())) {
      TransportSettings settings = TransportSettings.builder("emulator", "http://127.0.0.1:" + relay.port() + "/v1")
          .apiKey(() -> Emulated.KEY).build();
      ModelTransport t = Transports.create(settings, TransportKind.WEBSOCKET, true, new RecordingListener());
      Emulated.converse(t, "then silence", Emulated.deadline());
      relay.blackHole();
      Instant start = Instant.now();
      t.close();
      // the reply wait (1 s) plus the event loops' shutdown; an unbounded wait would hang here
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }
  }
}
