package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSession;
import dev.runner.transport.Transports;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Socket sharing on the real emulator: lanes, one socket per session without them, and reuse across sessions. */
class LanesAndPoolingTest {
  static final int CONVERSATIONS = 16;

  /**
   * Runs 16 conversations at once; every session keeps its socket (or lane) until all 16 have finished, so none can
   * reuse another's.
   */
  static List<Emulated.Conversation> concurrently(ModelTransport t) throws Exception {
    CyclicBarrier allDone = new CyclicBarrier(CONVERSATIONS);
    Instant deadline = Emulated.deadline();
    ExecutorService pool = Executors.newFixedThreadPool(CONVERSATIONS);
    try {
      List<Future<Emulated.Conversation>> runs = new ArrayList<>();
      for (int i = 0; i < CONVERSATIONS; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          try (TransportSession s = t.openSession()) {
            Emulated.Conversation c = Emulated.converse(s, "conversation " + n, deadline);
            allDone.await(20, TimeUnit.SECONDS);
            return c;
          }
        }));
      }
      List<Emulated.Conversation> out = new ArrayList<>();
      for (Future<Emulated.Conversation> f : runs) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sixteenConversationsShareOneSocketThroughLanes() throws Exception {
    try (RunningEmulator emulator = Emulated.start("tools:3", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).websocketLanes(true).build(),
            TransportKind.WEBSOCKET, true, new RecordingListener())) {
      List<Emulated.Conversation> all = concurrently(t);
      assertThat(all).allSatisfy(c -> {
        assertThat(c.answer()).contains("step 3");
        assertThat(c.incrementalTurns()).isEqualTo(3);
      });
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emulator.stats().tcpConnections()).isEqualTo(1);
      assertThat(emulator.stats().websocketRequests()).isEqualTo(CONVERSATIONS * 4);
    }
  }

  @Test
  void withoutLanesEachConcurrentConversationHasItsOwnSocket() throws Exception {
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, true,
            new RecordingListener())) {
      List<Emulated.Conversation> all = concurrently(t);
      assertThat(all).allSatisfy(c -> assertThat(c.incrementalTurns()).isEqualTo(1));
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(CONVERSATIONS);
    }
  }

  @Test
  void sequentialSessionsReuseThePooledSocket() {
    try (RunningEmulator emulator = Emulated.start("tools:2", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, true,
            new RecordingListener())) {
      for (int i = 0; i < 3; i++) {
        assertThat(Emulated.converse(t, "session " + i, Emulated.deadline()).answer()).contains("step 2");
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emulator.stats().websocketRequests()).isEqualTo(9);
    }
  }

  @Test
  void sequentialHttpSessionsReuseThePooledConnection() {
    try (RunningEmulator emulator = Emulated.start("tools:2", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.HTTP, true,
            new RecordingListener())) {
      for (int i = 0; i < 3; i++) {
        Emulated.converse(t, "session " + i, Emulated.deadline());
      }
      assertThat(emulator.stats().tcpConnections()).isEqualTo(1);
      assertThat(emulator.stats().httpRequests()).isEqualTo(9);
    }
  }
}
