package dev.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Netty's and Reactor's warnings stay off stderr at the default level; the runner says it in its own words. */
class LibraryWarningsTest {
  private final StringWriter out = new StringWriter();

  @AfterEach
  void restore() {
    Logs.install(LogSettings.warnings(), new Redactor(List.of()), new PrintWriter(new StringWriter()));
  }

  private void install(String spec) {
    Logs.install(LogSettings.parse(spec, Level.WARN, new StringBuilder()), new Redactor(List.of()),
        new PrintWriter(out, true));
  }

  @Test
  void atTheDefaultLevelLibraryWarningsAreHiddenAndErrorsShown() {
    install("");
    org.slf4j.LoggerFactory.getLogger("reactor.netty.http.client.HttpClientConnect").warn("observed {}", "x");
    org.slf4j.LoggerFactory.getLogger("io.netty.channel.Foo").warn("careful");
    org.slf4j.LoggerFactory.getLogger("reactor.core.publisher.Operators").error("dropped");
    Log.of("transport").warn("our own warning");
    assertThat(out.toString()).doesNotContain("observed").doesNotContain("careful")
        .contains("runner: error: reactor: dropped")
        .contains("runner: warning: transport: our own warning");
  }

  @Test
  void namingTheLibraryOrAVerboseLevelShowsItsWarnings() {
    install("reactor=warn");
    org.slf4j.LoggerFactory.getLogger("reactor.netty.X").warn("named");
    install("info");
    org.slf4j.LoggerFactory.getLogger("io.netty.X").warn("verbose");
    assertThat(out.toString()).contains("runner: warning: reactor: named").contains("runner: warning: netty: verbose");
  }
}
