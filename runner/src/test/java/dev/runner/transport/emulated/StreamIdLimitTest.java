package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import org.junit.jupiter.api.Test;

/**
 * Regression: a batch's 33rd conversation over one laned socket failed with websocket_stream_limit_reached, since the
 * server keeps every stream_id a socket carried. The pool now retires a socket after 32 ids and opens another.
 */
class StreamIdLimitTest {
  @Test
  void fortySequentialConversationsOverLanesAllSucceedOnTwoSockets() {
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).websocketLanes(true).build(),
            TransportKind.WEBSOCKET, true, new RecordingListener())) {
      for (int i = 0; i < 40; i++) {
        assertThat(Emulated.converse(t, "conversation " + i, Emulated.deadline()).answer()).as("conversation " + i)
            .contains("step 1");
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(2);
      assertThat(emulator.stats().websocketRequests()).isEqualTo(80);
    }
  }
}
