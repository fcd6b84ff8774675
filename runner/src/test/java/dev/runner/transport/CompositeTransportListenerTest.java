package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.protocol.ResponseInfo;
import dev.runner.protocol.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeTransportListenerTest {
  @Test
  void everyCallbackReachesEveryListenerInOrder() {
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    List<String> order = new ArrayList<>();
    TransportListener tagFirst = new TransportListener() {
      @Override
      public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
        order.add("first");
      }
    };
    TransportListener tagSecond = new TransportListener() {
      @Override
      public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
        order.add("second");
      }
    };
    TransportListener all = TransportListener.all(List.of(first, tagFirst, second, tagSecond));

    all.connectStart(TransportKind.WEBSOCKET, "ws://x");
    all.connectEnd(TransportKind.WEBSOCKET, new ConnectTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO));
    all.requestSent(TransportKind.WEBSOCKET, 10, 1, true);
    all.firstEvent(Duration.ofMillis(1));
    all.firstOutputDelta(Duration.ofMillis(2));
    all.bytesReceived(7);
    all.framesReceived(3);
    all.responseCompleted(new ResponseInfo("r", "completed", List.of(), Usage.ZERO, null, null), Duration.ofMillis(3));
    all.retry(1, "boom", Duration.ZERO);
    all.reconnect("closed");
    all.rotation(Duration.ofMinutes(50));
    all.fallback("refused");

    List<String> expected = List.of("connectStart", "connectEnd", "requestSent:incremental", "firstEvent",
        "firstOutputDelta", "responseCompleted", "retry", "reconnect", "rotation", "fallback");
    assertThat(first.calls).isEqualTo(expected);
    assertThat(second.calls).isEqualTo(expected);
    assertThat(List.of(first.bytes, first.frames, second.bytes, second.frames)).containsExactly(7L, 3, 7L, 3);
    assertThat(second.reasons).containsExactly("boom", "closed", "refused");
    assertThat(order).containsExactly("first", "second");
  }
}
