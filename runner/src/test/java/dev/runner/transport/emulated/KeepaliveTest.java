package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.TurnObserver;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import dev.runner.transport.Transports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A socket whose path went dead while the conversation waited on a tool is found by its missing pong and replaced. */
class KeepaliveTest {
  @Test
  void aSocketThatStopsAnsweringPingsIsReplacedBeforeTheNextTurn() throws Exception {
    RecordingListener listener = new RecordingListener();
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        BlackHoleRelay relay = new BlackHoleRelay(emulator.port())) {
      // the stream idle timeout is far past the deadline: a turn sent into the dead socket would fail the test
      TransportSettings settings = TransportSettings.builder("emulator", "http://127.0.0.1:" + relay.port() + "/v1")
          .apiKey(() -> Emulated.KEY).websocketKeepalive(Duration.ofMillis(500))
          .streamIdleTimeout(Duration.ofMinutes(5)).build();
      try (ModelTransport t = Transports.create(settings, TransportKind.WEBSOCKET, true, listener);
          TransportSession session = t.openSession()) {
        List<Item> input = new ArrayList<>(List.of(Item.Message.user("wait on a tool")));
        TurnResult first = session.send(TurnRequest.first(Emulated.request(input)), TurnObserver.NONE,
            Emulated.deadline());
        Item.FunctionCall call = first.output().stream().filter(Item.FunctionCall.class::isInstance)
            .map(Item.FunctionCall.class::cast).findFirst().orElseThrow();

        // the "tool" runs while the path to the server goes dead without a FIN
        relay.blackHole();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (relay.closedByClient() == 0 && System.nanoTime() < until) {
          Thread.sleep(50);
        }
        assertThat(relay.closedByClient()).as("the client gave up the silent socket").isEqualTo(1);

        input.addAll(first.output());
        List<Item> outputs = List.of(new Item.FunctionCallOutput(call.callId(), "Exit code: 0\nOutput:\nstep 1\n"));
        input.addAll(outputs);
        Instant sent = Instant.now();
        TurnResult second = session.send(new TurnRequest(Emulated.request(input), outputs), TurnObserver.NONE,
            Emulated.deadline());
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(15));
        assertThat(second.facts().incremental()).isFalse(); // a new socket: the full input again
        assertThat(second.facts().reconnects()).isEqualTo(1);
        assertThat(second.facts().streamRetries()).isZero(); // replaced before the turn, not after it failed
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(2);
      assertThat(listener.reasons).anyMatch(r -> r.contains("no pong"));
    }
  }
}
