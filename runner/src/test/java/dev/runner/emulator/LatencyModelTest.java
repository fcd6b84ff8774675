package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency model's accounting. */
class LatencyModelTest {
  @Test
  void websocketTurnWithCachedParentSkipsTheRebuildOverhead() throws Exception {
    LatencyModel model = new LatencyModel(0, 0, 40, 5, 0);
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1").withLatency(
        model))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      long start = System.nanoTime();
      ws.send(WebSocketEmulatorTest.create(null, TestClient.userMessage("go")));
      List<JsonNode> first = ws.untilTerminal();
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(40);
      JsonNode call = WebSocketEmulatorTest.itemDone(first);
      String id = WebSocketEmulatorTest.terminal(first).get("response").path("id").asText();
      ObjectNode next = WebSocketEmulatorTest.create(id, WebSocketEmulatorTest.output(call, "step 1"));
      ws.send(next);
      ws.untilTerminal();
      assertThat(emu.stats().injectedServerTimeMs()).isEqualTo(40 + 5);
    }
  }

  @Test
  void aCachedTurnPaysPrefillForItsSettingsOnlyWhenTheyChanged() throws Exception {
    String instructions = "Answer briefly. ".repeat(20); // 320 bytes
    long same = secondTurnPrefillMs(instructions, instructions);
    long changed = secondTurnPrefillMs(instructions, instructions.toUpperCase(java.util.Locale.ROOT));
    // 1 ms per uncached byte: the changed turn also pays for the instructions and the tool list it re-sent
    assertThat(changed - same).isGreaterThanOrEqualTo(instructions.length());
    assertThat(same).isLessThan(instructions.length());
  }

  /** Injected server time of the second, incremental turn on one socket. */
  private static long secondTurnPrefillMs(String firstInstructions, String secondInstructions) throws Exception {
    LatencyModel model = new LatencyModel(0, 0, 0, 0, 1024);
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1").withLatency(
        model))) {
      TestClient.WsConnection ws = new TestClient(emu.baseUrl()).websocket();
      ObjectNode first = WebSocketEmulatorTest.create(null, TestClient.userMessage("go"));
      first.put("instructions", firstInstructions);
      ws.send(first);
      List<JsonNode> events = ws.untilTerminal();
      long afterFirst = emu.stats().injectedServerTimeMs();
      JsonNode call = WebSocketEmulatorTest.itemDone(events);
      String id = WebSocketEmulatorTest.terminal(events).get("response").path("id").asText();
      ObjectNode next = WebSocketEmulatorTest.create(id, WebSocketEmulatorTest.output(call, "step 1"));
      next.put("instructions", secondInstructions);
      ws.send(next);
      ws.untilTerminal();
      return emu.stats().injectedServerTimeMs() - afterFirst;
    }
  }

  @Test
  void realisticProfileIsNamedAndZeroIsTheDefault() {
    assertThat(LatencyModel.named("realistic")).isEqualTo(LatencyModel.REALISTIC);
    assertThat(EmulatorOptions.defaults().latency()).isEqualTo(LatencyModel.ZERO);
    assertThat(LatencyModel.REALISTIC.beforeCreated(false, false, 10 * 1024).toMillis()).isEqualTo(120 + 250);
    assertThat(LatencyModel.REALISTIC.beforeCreated(true, true, 0).toMillis()).isEqualTo(20);
  }
}
