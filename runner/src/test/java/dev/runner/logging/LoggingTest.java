package dev.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoggingTest {
  final StringWriter out = new StringWriter();

  @AfterEach
  void restore() {
    Logs.install(LogSettings.warnings(), new Redactor(List.of()), new PrintWriter(new StringWriter()));
  }

  void install(String spec) {
    StringBuilder problems = new StringBuilder();
    Logs.install(LogSettings.parse(spec, Level.WARN, problems), new Redactor(List.of("sk-secret-value-123")),
        new PrintWriter(out, true));
  }

  @Test
  void runnerLogSelectsLevelsPerArea() {
    install("transport=debug,loop=info");
    Log.of("transport").debug(() -> "handshake 101 in 3 ms");
    Log.of("loop").debug(() -> "hidden");
    Log.of("loop").info(() -> "turn 1");
    Log.of("config").info(() -> "hidden too");
    Log.of("config").warn("shown");
    assertThat(out.toString()).isEqualTo(String.join(System.lineSeparator(), "DEBUG transport: handshake 101 in 3 ms",
        "INFO loop: turn 1", "runner: warning: config: shown", ""));
  }

  @Test
  void libraryLoggersThroughSlf4jLandInTheirAreaAndStayQuietByDefault() {
    install("debug");
    org.slf4j.LoggerFactory.getLogger("io.netty.channel.Foo").debug("noisy {}", 1);
    org.slf4j.LoggerFactory.getLogger("io.netty.channel.Foo").warn("careful {}", 2);
    install("netty=debug");
    org.slf4j.LoggerFactory.getLogger("io.netty.channel.Foo").debug("now {}", 3);
    assertThat(out.toString()).doesNotContain("noisy").contains("runner: warning: netty: careful 2")
        .contains("DEBUG netty: now 3");
  }

  @Test
  void secretsAreRedactedInEveryLine() {
    install("debug");
    Log.of("transport").debug(() -> "Authorization: Bearer sk-secret-value-123 sent");
    org.slf4j.LoggerFactory.getLogger("reactor.netty.X").warn("key=sk-secret-value-123");
    assertThat(out.toString()).doesNotContain("sk-secret-value-123").contains("[REDACTED]");
  }

  @Test
  void badLevelsAreReportedNotFatal() {
    StringBuilder problems = new StringBuilder();
    LogSettings s = LogSettings.parse("transport=loud,debug", Level.WARN, problems);
    assertThat(problems.toString()).contains("transport=loud");
    assertThat(s.levelOf("loop")).isEqualTo(Level.DEBUG);
  }
}
