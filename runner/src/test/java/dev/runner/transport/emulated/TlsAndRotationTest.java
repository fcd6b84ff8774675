package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TestTime;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** https/wss with the emulator's own CA, the error without it, and sockets rotated before the server's age limit. */
class TlsAndRotationTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void theEmulatorsCaFileMakesTlsWork(TransportKind kind) {
    Path ca = dir.resolve("ca.pem");
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2")
        .withTls(true, ca));
        ModelTransport t = Transports.create(Emulated.settings(emulator).caCertificate(ca).build(), kind, true,
            new RecordingListener())) {
      assertThat(emulator.baseUrl()).startsWith("https://");
      Emulated.Conversation c = Emulated.converse(t, "over tls", Emulated.deadline());
      assertThat(c.answer()).contains("step 2");
      if (kind == TransportKind.WEBSOCKET) {
        assertThat(emulator.stats().websocketHandshakes()).isEqualTo(1);
        assertThat(c.incrementalTurns()).isEqualTo(2);
      } else {
        assertThat(emulator.stats().tcpConnections()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TransportKind.class)
  void withoutTheCaTheCertificateIsRefusedOnceWithExit4(TransportKind kind) {
    RecordingListener listener = new RecordingListener();
    TestTime time = new TestTime();
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withTls(true, null));
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), kind, false, listener, time, time)) {
      RunnerException e = catchThrowableOfType(RunnerException.class,
          () -> Emulated.converse(t, "untrusted", Emulated.deadline()));
      assertThat(e.exitCode()).isEqualTo(ExitCode.TRANSPORT);
      assertThat(e.getMessage()).contains("TLS handshake").contains("certificate");
      assertThat(e.hint()).contains("CA");
      // a certificate will not become trusted by trying again, nor by falling back to HTTPS
      assertThat(listener.calls).doesNotContain("retry", "fallback");
      assertThat(emulator.stats().httpRequests() + emulator.stats().websocketHandshakes()).isZero();
    }
  }

  @Test
  void aSocketNearItsMaxAgeIsReplacedAtATurnBoundary(@TempDir Path scenarios) throws Exception {
    // six turns of 200 ms server time: 1.2 s on the wire, longer than the server lets one socket live (1 s)
    Path scenario = scenarios.resolve("slow.json");
    StringBuilder turns = new StringBuilder();
    for (int k = 1; k <= 5; k++) {
      turns.append("{\"shell\":\"echo step ").append(k).append("\",\"latency_ms\":200},");
    }
    Files.writeString(scenario, "{\"name\":\"slow\",\"turns\":[" + turns + "{\"final\":null,\"latency_ms\":200}]}");
    RecordingListener listener = new RecordingListener();
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario.toString())
        .withWebsocketMaxAge(Duration.ofSeconds(1)));
        ModelTransport t = Transports.create(Emulated.settings(emulator)
            .websocketAge(Duration.ofMillis(500), Duration.ofMillis(200)).build(), TransportKind.WEBSOCKET, true,
            listener)) {
      Emulated.Conversation c = Emulated.converse(t, "slowly", Emulated.deadline());
      assertThat(c.answer()).contains("step 5");
      long rotations = listener.calls.stream().filter("rotation"::equals).count();
      assertThat(rotations).isGreaterThanOrEqualTo(1);
      assertThat(emulator.stats().websocketHandshakes()).isEqualTo(rotations + 1);
      assertThat(listener.calls).doesNotContain("reconnect", "retry");
      assertThat(c.reconnects()).isZero();
    }
  }
}
