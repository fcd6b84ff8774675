package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.ProxySettings;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.Transports;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through a real tinyproxy. The client reaches every target through a proxy with HTTP CONNECT (Reactor Netty's proxy
 * handler), {@code ws://} and {@code http://} included, so a forward proxy that allows CONNECT carries WebSocket too;
 * a gateway that forwards requests and drops {@code Upgrade} is what makes auto mode fall back to HTTP.
 */
class ProxyTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void needsTinyproxy() {
    Assumptions.assumeTrue(Tinyproxy.installed(), "tinyproxy is not installed (apt-get install -y tinyproxy)");
  }

  static TransportSettings viaProxy(RunningEmulator emulator, int proxyPort, String noProxy) {
    String proxy = "http://127.0.0.1:" + proxyPort;
    return Emulated.settings(emulator).proxy(ProxySettings.fromEnvironment(proxy, proxy, noProxy)).build();
  }

  @Test
  void httpGoesThroughTheProxy() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null);
        RunningEmulator emulator = Emulated.start("tools:2", "");
        ModelTransport t = Transports.create(viaProxy(emulator, proxy.port, null), TransportKind.HTTP, true,
            new RecordingListener())) {
      assertThat(Emulated.converse(t, "via proxy", Emulated.deadline()).answer()).contains("step 2");
      assertThat(emulator.stats().httpRequests()).isEqualTo(3);
      assertThat(emulator.stats().tcpConnections()).isEqualTo(1);
      assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + emulator.port());
    }
  }

  @Test
  void webSocketTunnelsThroughConnect() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null);
        RunningEmulator emulator = Emulated.start("tools:2", "");
        ModelTransport t = Transports.create(viaProxy(emulator, proxy.port, null), TransportKind.WEBSOCKET, true,
            new RecordingListener())) {
      Emulated.Conversation c = Emulated.converse(t, "via proxy", Emulated.deadline());
      assertThat(c.incrementalTurns()).isEqualTo(2);
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + emulator.port());
    }
  }

  @Test
  void noProxyConnectsDirectly() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null);
        RunningEmulator emulator = Emulated.start("tools:1", "")) {
      for (TransportKind kind : TransportKind.values()) {
        try (ModelTransport t = Transports.create(viaProxy(emulator, proxy.port, "localhost,127.0.0.1"), kind, true,
            new RecordingListener())) {
          assertThat(Emulated.converse(t, "direct", Emulated.deadline()).answer()).contains("step 1");
        }
      }
      assertThat(proxy.log()).doesNotContain("CONNECT 127.0.0.1:" + emulator.port());
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
    }
  }

  @Test
  void aGatewayThatDropsUpgradeMakesAutoModeFallBackOnce() throws Exception {
    RecordingListener listener = new RecordingListener();
    try (RunningEmulator emulator = Emulated.start("tools:2", "");
        Tinyproxy gateway = Tinyproxy.start(dir, emulator.baseUrl());
        ModelTransport t = Transports.create(TransportSettings.builder("gateway", "http://127.0.0.1:" + gateway.port
            + "/v1").apiKey(() -> Emulated.KEY).build(), TransportKind.WEBSOCKET, false, listener)) {
      Emulated.Conversation c = Emulated.converse(t, "through a gateway", Emulated.deadline());
      assertThat(c.answer()).contains("step 2");
      assertThat(c.turns()).allMatch(turn -> turn.facts().transport() == TransportKind.HTTP);
      assertThat(listener.calls.stream().filter("fallback"::equals).count()).isEqualTo(1);
      assertThat(emulator.stats().websocketHandshakes()).isZero();
      assertThat(emulator.stats().httpRequests()).isEqualTo(3);
    }
  }

  @Test
  void aGatewayThatDropsUpgradeIsExit4WhenWebSocketIsForced() throws Exception {
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        Tinyproxy gateway = Tinyproxy.start(dir, emulator.baseUrl());
        ModelTransport t = Transports.create(TransportSettings.builder("gateway", "http://127.0.0.1:" + gateway.port
            + "/v1").apiKey(() -> Emulated.KEY).build(), TransportKind.WEBSOCKET, true, new RecordingListener())) {
      RunnerException e = catchThrowableOfType(RunnerException.class,
          () -> Emulated.converse(t, "forced", Emulated.deadline()));
      assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT);
      assertThat(e.getMessage()).contains("upgrade refused").contains("forced");
    }
  }
}
