package dev.runner.emulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency model's accounting, and the package boundary (emulator shares only protocol with the client). */
class LatencyAndBoundariesTest {
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
  void realisticProfileIsNamedAndZeroIsTheDefault() {
    assertThat(LatencyModel.named("realistic")).isEqualTo(LatencyModel.REALISTIC);
    assertThat(EmulatorOptions.defaults().latency()).isEqualTo(LatencyModel.ZERO);
    assertThat(LatencyModel.REALISTIC.beforeCreated(false, false, 10 * 1024).toMillis()).isEqualTo(120 + 15);
    assertThat(LatencyModel.REALISTIC.beforeCreated(true, true, 0).toMillis()).isEqualTo(20);
  }

  @Test
  void emulatorDependsOnNoClientPackage() {
    JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.runner.emulator");
    noClasses().that().resideInAPackage("dev.runner.emulator..").should().dependOnClassesThat().resideInAnyPackage(
        "dev.runner.cli..", "dev.runner.config..", "dev.runner.transport..", "dev.runner.loop..",
        "dev.runner.tools..", "dev.runner.schema..", "dev.runner.report..", "dev.runner.metrics..").check(classes);
  }
}
