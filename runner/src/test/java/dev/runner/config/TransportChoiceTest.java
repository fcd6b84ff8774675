package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.config.TransportChoice.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {
  private static final Provenance FLAG = new Provenance.Flag("--transport");
  private static final Provenance DASH_C = new Provenance.ConfigOverride(List.of("transport"));
  private static final Provenance FILE = new Provenance.InFile(Path.of("/c/config.toml"), 3);
  private static final Provenance PROFILE = new Provenance.InProfile("ci", Path.of("/c/config.toml"), 9);

  @Test
  void flagWinsOverEverything() {
    TransportDecision d = TransportChoice.decide(
        List.of(new Level(TransportMode.HTTP, FLAG), new Level(TransportMode.WEBSOCKET, DASH_C)),
        "openai", true, Provenance.BUILT_IN);
    assertThat(d.transport()).isEqualTo(Transport.HTTP);
    assertThat(d.reason()).isEqualTo("http: --transport http");
    assertThat(d.source()).isEqualTo(FLAG);
  }

  @Test
  void dashCIsNextAndAutoFallsThrough() {
    TransportDecision d = TransportChoice.decide(
        List.of(new Level(TransportMode.AUTO, FLAG), new Level(TransportMode.WEBSOCKET, DASH_C),
            new Level(TransportMode.HTTP, FILE)),
        "x", false, Provenance.DEFAULT);
    assertThat(d.transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(d.reason()).isEqualTo("websocket: -c transport=websocket");
  }

  @Test
  void configAndProfileKeysNameWhereTheyAre() {
    TransportDecision file = TransportChoice.decide(
        List.of(new Level(TransportMode.AUTO, DASH_C), new Level(TransportMode.HTTP, FILE)),
        "openai", true, Provenance.BUILT_IN);
    assertThat(file.reason()).isEqualTo("http: transport = \"http\" (/c/config.toml:3)");
    TransportDecision profile = TransportChoice.decide(
        List.of(new Level(TransportMode.WEBSOCKET, PROFILE)), "x", false, Provenance.DEFAULT);
    assertThat(profile.transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(profile.reason())
        .isEqualTo("websocket: transport = \"websocket\" (profile ci (/c/config.toml:9))");
  }

  @Test
  void builtInSupportsWebsocketsMeansWebsocket() {
    TransportDecision d = TransportChoice.decide(
        List.of(new Level(TransportMode.AUTO, FILE)), "openai", true, Provenance.BUILT_IN);
    assertThat(d.transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(d.reason()).isEqualTo(
        "websocket: provider 'openai' has supports_websockets = true (built-in default)");
  }

  @Test
  void providerSettingFromAFileOrDashC() {
    TransportDecision off = TransportChoice.decide(List.of(), "openai", false, FILE);
    assertThat(off.transport()).isEqualTo(Transport.HTTP);
    assertThat(off.reason())
        .isEqualTo("http: provider 'openai' has supports_websockets = false (/c/config.toml:3)");
    TransportDecision on = TransportChoice.decide(List.of(), "x", true, DASH_C);
    assertThat(on.transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(on.reason()).isEqualTo("websocket: provider 'x' has supports_websockets = true (-c)");
  }

  @Test
  void unsetSupportsWebsocketsMeansHttp() {
    TransportDecision d = TransportChoice.decide(List.of(), "x", false, Provenance.DEFAULT);
    assertThat(d.transport()).isEqualTo(Transport.HTTP);
    assertThat(d.reason())
        .isEqualTo("http: provider 'x' does not set supports_websockets (default false)");
    assertThat(d.source()).isEqualTo(Provenance.DEFAULT);
  }
}
