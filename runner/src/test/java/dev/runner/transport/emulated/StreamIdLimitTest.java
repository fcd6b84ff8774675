package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.RunnerException;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSession;
import dev.runner.transport.Transports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Regression: a batch's 33rd conversation over one laned socket failed with websocket_stream_limit_reached, since the
 * server keeps every stream_id a socket carried. Then the pool retired a socket after 32 ids, so a batch at
 * concurrency 256 opened a socket per 32 conversations instead of 16 in all. Now a lane whose response ended carries
 * the next conversation on the same socket; one given up mid-response does not.
 */
class StreamIdLimitTest {
  @Test
  void aHundredSequentialConversationsOverLanesShareOneSocket() {
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).websocketLanes(true).build(),
            TransportKind.WEBSOCKET, true, new RecordingListener())) {
      for (int i = 0; i < 100; i++) {
        assertThat(Emulated.converse(t, "conversation " + i, Emulated.deadline()).answer()).as("conversation " + i)
            .contains("step 1");
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emulator.stats().websocketRequests()).isEqualTo(200);
    }
  }

  @Test
  void waveAfterWaveOfSixteenConcurrentConversationsStaysOnOneSocket() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (RunningEmulator emulator = Emulated.start("tools:2", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).websocketLanes(true).build(),
            TransportKind.WEBSOCKET, true, new RecordingListener())) {
      for (int wave = 0; wave < 4; wave++) {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          String prompt = "wave " + wave + " conversation " + i;
          answers.add(pool.submit(() -> Emulated.converse(t, prompt, Emulated.deadline()).answer()));
        }
        assertThat(answers).hasSize(16);
        for (Future<String> a : answers) {
          assertThat(a.get()).contains("step 2");
        }
      }
      // 64 conversations, 16 at a time: one socket with 16 lanes reused wave after wave
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emulator.stats().websocketRequests()).isEqualTo(64 * 3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLaneGivenUpMidResponseIsNotHandedToTheNextConversation() {
    // the first response stalls for good; its conversation gives up at its deadline with the response still open
    try (RunningEmulator emulator = Emulated.start("tools:1", "stall@1");
        ModelTransport t = Transports.create(Emulated.settings(emulator).websocketLanes(true).build(),
            TransportKind.WEBSOCKET, true, new RecordingListener())) {
      Instant soon = Instant.now().plus(Duration.ofMillis(500));
      assertThatThrownBy(() -> Emulated.converse(t, "stalls", soon)).isInstanceOf(RunnerException.class)
          .hasMessageContaining("deadline");
      // the server runs one response per lane and queues the next: on the stalled lane this would never answer.
      // stall@1 hits every conversation once; these start as the stalled one did and then say more, which the
      // emulator takes for that conversation past its fault, so only the lane can hold them up
      for (int i = 0; i < 3; i++) {
        try (TransportSession session = t.openSession()) {
          List<Item> start = List.of(Item.Message.user("stalls"), Item.Message.user("after " + i));
          assertThat(Emulated.converse(session, start, Emulated.deadline()).answer()).contains("step 1");
        }
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
    }
  }
}
