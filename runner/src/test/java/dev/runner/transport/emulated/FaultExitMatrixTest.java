package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.emulator.FaultKind;
import dev.runner.transport.TransportKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reliability figure: every emulator fault kind × transport × (once on turn 2, on every turn) ends either with
 * the fault-free answer or with the exit code of its failure class, the same over both transports, within the time
 * bound. Backoffs are recorded, not slept; a stall waits the short idle timeout. The matrix is printed at the end as
 * the Markdown table README quotes.
 */
class FaultExitMatrixTest {
  private static final Map<String, String> MATRIX = new ConcurrentSkipListMap<>();

  @BeforeAll
  static void answer() {
    FaultRecoveryTest.faultFreeAnswer();
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      for (String when : new String[]{"@2", "@*"}) {
        all.add(Arguments.of(kind, when));
      }
    }
    assertThat(all).hasSize(FaultKind.values().length * 2);
    return all.stream();
  }

  /**
   * The documented outcome of a fault: empty for "recovers with the same answer", else the exit code. A fault on
   * every turn exhausts the retries: a broken or failing server is a transport failure (4), a silent one a timeout
   * (5), a response the model itself ended early a task failure (1).
   */
  static ExitCode expected(FaultKind kind, String when) {
    if (kind == FaultKind.INCOMPLETE) {
      return ExitCode.TASK_FAILED;
    }
    if (when.equals("@2")) {
      return ExitCode.SUCCESS;
    }
    return switch (kind) {
      // handshake faults: fatal when WebSocket is forced; HTTP never upgrades
      case UPGRADE_426, UPGRADE_404, RESET, CLOSE_1008, HTTP_429, HTTP_500, HTTP_503, MALFORMED, BINARY, TRUNCATED,
          FAILED ->
        ExitCode.TRANSPORT;
      case STALL -> ExitCode.TIMEOUT;
      case PREVIOUS_NOT_FOUND, OVERSIZED -> ExitCode.SUCCESS;
      // every socket is retired at once: the reconnects exhaust the retries
      case CONNECTION_LIMIT -> ExitCode.TRANSPORT;
      case INCOMPLETE -> ExitCode.TASK_FAILED;
    };
  }

  /** Faults that exist on one transport only, and are never injected on the other. */
  static boolean appliesTo(FaultKind kind, TransportKind transport) {
    return switch (kind) {
      case UPGRADE_426, UPGRADE_404, PREVIOUS_NOT_FOUND, CONNECTION_LIMIT -> transport == TransportKind.WEBSOCKET;
      default -> true;
    };
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("cases")
  void everyFaultRecoversOrEndsWithItsClassCodeOnBothTransports(FaultKind kind, String when) {
    ExitCode want = expected(kind, when);
    for (TransportKind transport : TransportKind.values()) {
      boolean applies = appliesTo(kind, transport);
      FaultRecoveryTest.Run r = FaultRecoveryTest.run(FaultRecoveryTest.SCENARIO, kind.spec() + when, transport, true,
          kind == FaultKind.OVERSIZED ? Duration.ofSeconds(5) : Duration.ofMillis(300));
      ExitCode got = r.error() == null
          ? ExitCode.SUCCESS
          : r.error() instanceof RunnerException re ? re.exitCode() : null;
      MATRIX.put(kind.spec() + when + " " + transport.name().toLowerCase(java.util.Locale.ROOT),
          (got == ExitCode.SUCCESS ? "recovered" : "exit " + (got == null ? r.error() : got.code())) + " | "
              + r.took().toMillis());
      ExitCode w = applies ? want : ExitCode.SUCCESS;
      assertThat(got).as("%s%s over %s: %s", kind.spec(), when, transport, r.error()).isEqualTo(w);
      if (w == ExitCode.SUCCESS) {
        r.recovered();
      }
      if (!applies) {
        assertThat(r.stats().faultsInjected()).as("%s injected over %s", kind.spec(), transport).isZero();
      }
      assertThat(r.took()).isLessThan(FaultRecoveryTest.BUDGET);
    }
  }

  @AfterAll
  static void printTheMatrix() {
    StringBuilder table = new StringBuilder(
        "| fault | WebSocket: outcome | ms | HTTP: outcome | ms |\n|---|---|---|---|---|\n");
    for (FaultKind kind : FaultKind.values()) {
      for (String when : new String[]{"@2", "@*"}) {
        String ws = MATRIX.getOrDefault(kind.spec() + when + " websocket", "- | -");
        String http = MATRIX.getOrDefault(kind.spec() + when + " http", "- | -");
        table.append("| ").append(kind.spec()).append(when).append(" | ").append(ws).append(" | ").append(http)
            .append(" |\n");
      }
    }
    System.out.println("Fault x transport matrix (recovered / exit code, wall ms):\n" + table);
  }
}
