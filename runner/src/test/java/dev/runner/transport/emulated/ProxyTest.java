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
    return viaProxy(emulator, "http://127.0.0.1:" + proxyPort, noProxy);
  }

  static TransportSettings viaProxy(RunningEmulator emulator, String proxy, String noProxy) {
    return Emulated.settings(emulator).proxy(ProxySettings.fromEnvironment(proxy, proxy, noProxy)).build();
  }

  static final String BASIC_AUTH = "BasicAuth jane s3cr3t-pass\n";

  @Test
  void credentialsInTheProxyUrlAuthenticateOnBothTransports() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null, BASIC_AUTH);
        RunningEmulator emulator = Emulated.start("tools:1", "")) {
      // %2D is '-': the password reaches the proxy percent-decoded
      String url = "http://jane:s3cr3t%2Dpass@127.0.0.1:" + proxy.port;
      for (TransportKind kind : TransportKind.values()) {
        RecordingListener listener = new RecordingListener();
        try (ModelTransport t = Transports.create(viaProxy(emulator, url, null), kind, true, listener)) {
          assertThat(Emulated.converse(t, "via an authenticating proxy", Emulated.deadline()).answer()).as(kind.name())
              .contains("step 1");
        }
        assertThat(listener.calls).as(kind.name()).doesNotContain("retry");
      }
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emulator.stats().httpRequests()).isEqualTo(2);
      assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + emulator.port());
    }
  }

  @Test
  void aWrongPasswordIsOne407NamingTheProxyWithAHintAndNotThePassword() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null, BASIC_AUTH);
        RunningEmulator emulator = Emulated.start("tools:1", "")) {
      for (TransportKind kind : TransportKind.values()) {
        RecordingListener listener = new RecordingListener();
        try (ModelTransport t = Transports.create(viaProxy(emulator, "http://jane:wrong-guess@127.0.0.1:"
            + proxy.port, null), kind, true, listener)) {
          RunnerException e = catchThrowableOfType(RunnerException.class,
              () -> Emulated.converse(t, "wrong password", Emulated.deadline()));
          assertThat(e).as(kind.name()).isNotNull();
          assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT);
          assertThat(e.getMessage()).contains("the proxy at 127.0.0.1:" + proxy.port)
              .containsPattern("(407 Proxy Authentication Required|401 Unauthorized) \\(the credentials sent were not "
                  + "accepted\\)")
              .doesNotContain("wrong-guess").doesNotContain("jane");
          assertThat(e.hint()).contains("HTTP_PROXY").contains("percent-encode");
        }
        // a refused password is not retried: each retry would only be refused again
        assertThat(listener.calls).as(kind.name()).doesNotContain("retry");
      }
      assertThat(emulator.stats().httpRequests() + emulator.stats().websocketHandshakes()).isZero();
    }
  }

  @Test
  void withoutCredentialsTheProxysRefusalSaysNoneWereSent() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null, BASIC_AUTH);
        RunningEmulator emulator = Emulated.start("tools:1", "");
        ModelTransport t = Transports.create(viaProxy(emulator, proxy.port, null), TransportKind.HTTP, true,
            new RecordingListener())) {
      RunnerException e = catchThrowableOfType(RunnerException.class,
          () -> Emulated.converse(t, "no credentials", Emulated.deadline()));
      assertThat(e.getMessage()).contains("407 Proxy Authentication Required (no credentials were sent)");
      assertThat(e.hint()).contains("http://USER:PASSWORD@HOST:PORT");
    }
  }

  @Test
  void aProxyThatForbidsThePortIsA403WithoutRetries() throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null, "ConnectPort 443\n");
        RunningEmulator emulator = Emulated.start("tools:1", "")) {
      RecordingListener listener = new RecordingListener();
      try (ModelTransport t = Transports.create(viaProxy(emulator, proxy.port, null), TransportKind.HTTP, true,
          listener)) {
        RunnerException e = catchThrowableOfType(RunnerException.class,
            () -> Emulated.converse(t, "forbidden port", Emulated.deadline()));
        assertThat(e.getMessage()).contains("refused to open a tunnel to").contains("403");
        assertThat(e.hint()).contains("NO_PROXY");
      }
      assertThat(listener.calls).doesNotContain("retry");
    }
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
