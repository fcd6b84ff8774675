package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import dev.runner.logging.Log;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import dev.runner.transport.TurnResult;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.jupiter.api.Test;

/**
 * {@code tools:40}, the benchmark conversation: over WebSocket one handshake and incremental creates whose size does
 * not grow with the history, compressed so the upload is a small fraction of HTTP's; over HTTP one pooled connection.
 */
class IncrementalWireTest {
  private static final Log LOG = Log.of("transport");

  record Measured(Emulated.Conversation conversation, EmulatorStats stats, RecordingListener listener) {}

  static Measured measure(TransportKind kind) {
    RecordingListener listener = new RecordingListener();
    try (RunningEmulator emulator = Emulated.start("tools:40", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), kind, true, listener)) {
      Emulated.Conversation c = Emulated.converse(t, "run the forty steps", Emulated.deadline());
      return new Measured(c, emulator.stats(), listener);
    }
  }

  @Test
  void webSocketSendsOnlyNewItemsCompressedAndHttpReusesOneConnection() {
    Measured ws = measure(TransportKind.WEBSOCKET);
    Measured http = measure(TransportKind.HTTP);
    assertThat(ws.conversation().answer()).isEqualTo(http.conversation().answer()).contains("step 40");

    List<TurnResult> turns = ws.conversation().turns();
    assertThat(turns).hasSize(41);
    assertThat(ws.stats().websocketHandshakes()).isEqualTo(1);
    assertThat(ws.stats().incrementalCreates()).isEqualTo(40);
    assertThat(ws.stats().cacheHits()).isEqualTo(40);
    assertThat(ws.conversation().incrementalTurns()).isEqualTo(40);
    // no history re-sent: every incremental frame is about as large as the first one after it
    LongSummaryStatistics incremental = turns.subList(1, turns.size()).stream()
        .mapToLong(t -> t.facts().bytesSent()).summaryStatistics();
    assertThat(incremental.getMax()).isLessThan(incremental.getMin() * 11 / 10);
    assertThat(incremental.getMax()).isLessThan(turns.get(0).facts().bytesSent() + 300);
    assertThat(ws.stats().websocket().payloadBytesIn()).isEqualTo(turns.stream()
        .mapToLong(t -> t.facts().bytesSent()).sum());

    assertThat(http.stats().tcpConnections()).isEqualTo(1);
    assertThat(http.stats().httpRequests()).isEqualTo(41);

    long wsUp = ws.stats().websocket().wireBytesIn();
    long httpUp = http.stats().http().wireBytesIn();
    double ratio = (double) wsUp / httpUp;
    LOG.info(() -> String.format("tools:40 upload: websocket %d wire bytes (%d payload), http %d wire bytes (%d "
        + "payload), ratio %.4f", wsUp, ws.stats().websocket().payloadBytesIn(), httpUp,
        http.stats().http().payloadBytesIn(), ratio));
    assertThat(ratio).isLessThanOrEqualTo(0.10);
    // permessage-deflate was negotiated: what crossed the wire is far smaller than the text it carried
    assertThat(wsUp).isLessThan(ws.stats().websocket().payloadBytesIn() / 10);
    // and bytes received count that text (the events' JSON), not the deflated frames
    assertThat(ws.listener().bytes).isEqualTo(ws.stats().websocket().payloadBytesOut())
        .isGreaterThan(ws.stats().websocket().wireBytesOut() * 10);
  }
}
