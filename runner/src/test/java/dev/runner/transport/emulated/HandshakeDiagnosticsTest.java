package dev.runner.transport.emulated;

import dev.runner.logging.LogSettings;
import dev.runner.logging.Logs;
import dev.runner.logging.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debug lines for every handshake attempt, and no socket left behind by a refused upgrade. */
class HandshakeDiagnosticsTest {
  private final StringWriter log = new StringWriter();

  @BeforeEach
  void capture() {
    StringBuilder problems = new StringBuilder();
    Logs.install(LogSettings.parse("transport=debug", dev.runner.logging.Level.WARN, problems),
        new Redactor(List.of()), new PrintWriter(log, true));
  }

  @AfterEach
  void release() {
    Logs.install(LogSettings.warnings(), new Redactor(List.of()), new PrintWriter(new StringWriter()));
  }

  private List<String> lines() {
    return log.toString().lines().map(l -> l.replaceFirst("^DEBUG transport: ", "")).toList();
  }

  @Test
  void everyHandshakeAttemptIsLoggedWithUrlStatusAndTimeButNoSecret() {
    try (RunningEmulator emulator = Emulated.start("tools:1", "upgrade426@1");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, false,
            new RecordingListener())) {
      Emulated.converse(t, "first", Emulated.deadline());
    }
    try (RunningEmulator emulator = Emulated.start("tools:1", "");
        ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, true,
            new RecordingListener())) {
      Emulated.converse(t, "second", Emulated.deadline());
    }
    List<String> lines = lines();
    List<String> handshakes = lines.stream().filter(l -> l.startsWith("ws handshake")).toList();
    assertThat(handshakes).hasSize(2);
    assertThat(handshakes.get(0)).matches("ws handshake with ws://127\\.0\\.0\\.1:\\d+/v1/responses -> HTTP 426 after "
        + "\\d+ ms.*");
    assertThat(handshakes.get(1)).matches("ws handshake with ws://127\\.0\\.0\\.1:\\d+/v1/responses -> 101 after "
        + "\\d+ ms.*");
    assertThat(lines).noneMatch(l -> l.contains(Emulated.KEY));
  }

  /** Open TCP connections to {@code port} as the kernel lists them (each loopback connection shows both ends). */
  static long established(int port) throws Exception {
    String local = String.format(":%04X ", port);
    List<String> rows = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (Files.isReadable(p)) {
        rows.addAll(Files.readAllLines(p));
      }
    }
    return rows.stream().map(String::trim).filter(l -> l.contains(local))
        .filter(l -> l.split("\\s+")[3].equals("01")).count();
  }

  /**
   * Regression for the suspected leak after a refused upgrade: the refused socket is closed at once, so after the
   * fallback conversation the only connection left is the pooled HTTP one (its two ends), and none after close.
   */
  @Test
  void aRefusedUpgradeLeavesOnlyThePooledHttpConnection() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
    try (RunningEmulator emulator = Emulated.start("tools:1", "upgrade426@*")) {
      try (ModelTransport t = Transports.create(Emulated.settings(emulator).build(), TransportKind.WEBSOCKET, false,
          new RecordingListener())) {
        Emulated.converse(t, "fall back", Emulated.deadline());
        assertThat(emulator.stats().tcpConnections()).isEqualTo(2);
        assertThat(established(emulator.port())).isEqualTo(2);
      }
      Instant start = Instant.now();
      emulator.close();
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(2));
    }
  }
}
