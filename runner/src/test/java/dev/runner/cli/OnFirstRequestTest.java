package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.transport.ConnectTimings;
import dev.runner.transport.TransportKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnFirstRequestTest {
  @Test
  void runsOnceWhenTheFirstRequestIsOutAndNotBefore() {
    AtomicInteger runs = new AtomicInteger();
    OnFirstRequest hook = new OnFirstRequest(runs::incrementAndGet);

    hook.connectStart(TransportKind.HTTP, "http://x");
    hook.connectEnd(TransportKind.HTTP, new ConnectTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO));
    hook.retry(1, "connection refused", Duration.ZERO);
    assertThat(runs).hasValue(0);

    hook.requestSent(TransportKind.HTTP, 100, 1, false);
    hook.firstEvent(Duration.ofMillis(5));
    hook.requestSent(TransportKind.HTTP, 120, 1, false);
    hook.requestSent(TransportKind.WEBSOCKET, 80, 1, true);
    assertThat(runs).hasValue(1);
  }
}
