package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code runner exec} ends its WebSockets, seen from the server: the emulator records the close code of every
 * connection, and a proxy-like idle limit on its side shows what keepalive pings are for.
 */
class WebSocketEndingsTest {
  private static final String KEY = "sk-endings-test-key";

  @TempDir
  Path home;

  @TempDir
  Path workspace;

  private CliRun exec(RunningEmulator emulator, long keepaliveMs, String... args) throws Exception {
    Path codexHome = Files.createDirectories(home.resolve("codex"));
    Files.writeString(codexHome.resolve("config.toml"), """
        model_provider = "emu"
        [model_providers.emu]
        base_url = "%s"
        env_key = "EMU_KEY"
        supports_websockets = true
        websocket_keepalive_ms = %d
        """.formatted(emulator.baseUrl(), keepaliveMs));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", codexHome.toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("EMU_KEY", KEY);
    env.remove("RUNNER_LOG");
    List<String> all = new ArrayList<>(List.of("exec", "--skip-git-repo-check", "-s", "danger-full-access"));
    if (!List.of(args).contains("--transport")) {
      all.addAll(List.of("--transport", "websocket"));
    }
    all.addAll(List.of(args));
    return CliRun.of(CliRun.environment(env, workspace, home), all.toArray(String[]::new));
  }

  /**
   * The server learns how a connection ended a moment after the client has gone: waits (at most 5 s) until every
   * handshake has its ending recorded.
   */
  private static EmulatorStats settled(RunningEmulator emulator) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    EmulatorStats s = emulator.stats();
    while (s.websocketCloses().values().stream().mapToLong(Long::longValue).sum() < s.websocketHandshakes()
        && System.nanoTime() < until) {
      Thread.sleep(20);
      s = emulator.stats();
    }
    return s;
  }

  @Test
  void everyRunEndsItsSocketWithClose1000AfterSuccessAndAfterAFatalError() throws Exception {
    int runs = 8;
    try (RunningEmulator ok = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        RunningEmulator failing = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2")
            .withFaults("failed@*"))) {
      for (int i = 0; i < runs; i++) {
        CliRun run = exec(ok, 30_000, "run " + i);
        assertThat(run.exit()).as(run.err()).isZero();
        CliRun failed = exec(failing, 30_000, "fail " + i);
        assertThat(failed.exit()).as(failed.err()).isNotZero();
      }
      EmulatorStats s = settled(ok);
      assertThat(s.websocketHandshakes()).isEqualTo(runs);
      assertThat(s.websocketCloses()).containsExactly(Map.entry("1000", (long) runs));
      EmulatorStats f = settled(failing);
      assertThat(f.websocketHandshakes()).isEqualTo(runs);
      assertThat(f.websocketCloses()).containsExactly(Map.entry("1000", (long) runs));
    }
  }

  /**
   * A refused upgrade: one runner line on stderr, none of Reactor Netty's, and the refused handshake counted once
   * whether WebSocket was forced (the run fails) or chosen by auto (the run falls back to HTTP's one connection).
   */
  @Test
  void aRefusedUpgradeIsOneRunnerLineAndOneHandshakeEitherWay() throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1")
        .withFaults("upgrade426@*"))) {
      Path forcedMetrics = home.resolve("forced.json");
      CliRun forced = exec(emulator, 30_000, "--metrics", forcedMetrics.toString(), "go");
      assertThat(forced.exit()).as(forced.err()).isEqualTo(4);
      Path autoMetrics = home.resolve("auto.json");
      List<String> auto = new ArrayList<>(List.of("--transport", "auto", "--metrics", autoMetrics.toString(), "go"));
      CliRun fellBack = exec(emulator, 30_000, auto.toArray(String[]::new));
      assertThat(fellBack.exit()).as(fellBack.err()).isZero();
      for (CliRun run : List.of(forced, fellBack)) {
        assertThat(run.err()).doesNotContain("reactor").doesNotContain("WebSocketClientHandshakeException")
            .contains("HTTP 426");
        assertThat(run.err().lines().filter(l -> l.contains("HTTP 426"))).hasSize(1);
      }
      long forcedHandshakes = dev.runner.protocol.Json.MAPPER.readTree(forcedMetrics.toFile())
          .at("/transport/handshakes").asLong();
      long autoHandshakes = dev.runner.protocol.Json.MAPPER.readTree(autoMetrics.toFile())
          .at("/transport/handshakes").asLong();
      assertThat(forcedHandshakes).isEqualTo(1);
      assertThat(autoHandshakes).isEqualTo(2); // the refused upgrade and HTTP's connection
      assertThat(forced.err()).contains("1 handshake(s)");
      assertThat(fellBack.err()).contains("2 handshake(s)");
    }
  }

  /**
   * A tool call longer than a proxy's idle limit (scaled down: 3 s of {@code sleep} behind a 2 s limit; ci/keepalive.sh
   * runs 90 s behind 60 s): with pings the conversation stays on its one socket and chains incrementally; without, the
   * proxy drops the socket and the next turn reconnects and resends in full, and the run still succeeds.
   */
  @Test
  void keepalivePingsKeepASocketAcrossAToolCallLongerThanTheIdleLimit() throws Exception {
    Path scenario = home.resolve("slow-tool.json");
    Files.writeString(scenario, """
        {"name":"slow-tool","turns":[{"shell":"sleep 3"},{"final":"slept"}]}""");
    EmulatorOptions options = EmulatorOptions.defaults().withScenario(scenario.toString())
        .withWebsocketIdleClose(Duration.ofSeconds(2));
    try (RunningEmulator emulator = EmulatorServer.start(options)) {
      CliRun on = exec(emulator, 500, "sleep on it");
      assertThat(on.exit()).as(on.err()).isZero();
      assertThat(on.out()).contains("slept");
      EmulatorStats s = settled(emulator);
      assertThat(s.websocketHandshakes()).isEqualTo(1);
      assertThat(s.fullCreates()).isEqualTo(1);
      assertThat(s.incrementalCreates()).isEqualTo(1);
      assertThat(s.websocketCloses()).containsExactly(Map.entry("1000", 1L));
    }
    try (RunningEmulator emulator = EmulatorServer.start(options)) {
      CliRun off = exec(emulator, 0, "sleep on it");
      assertThat(off.exit()).as(off.err()).isZero();
      assertThat(off.out()).contains("slept");
      EmulatorStats s = settled(emulator);
      assertThat(s.websocketHandshakes()).isEqualTo(2);
      assertThat(s.fullCreates()).isEqualTo(2);
      assertThat(s.incrementalCreates()).isZero();
      assertThat(s.websocketCloses()).containsExactly(Map.entry("1000", 1L), Map.entry("server:idle", 1L));
    }
  }
}
