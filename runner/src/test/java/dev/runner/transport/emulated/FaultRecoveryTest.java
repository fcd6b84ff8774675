package dev.runner.transport.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.TestTime;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every emulator fault, injected on the second model turn of a {@code tools:2} conversation, over both transports:
 * the conversation either ends with the fault-free answer (with the recovery counted) or fails with the documented
 * exit code. Backoffs are recorded by {@link TestTime}, not slept; only the stall waits its (short) idle timeout.
 */
class FaultRecoveryTest {
  static final String SCENARIO = "tools:2";
  static final String PROMPT = "list the steps";
  static final Duration BUDGET = Duration.ofSeconds(10);
  static String expected;

  @BeforeAll
  static void faultFreeAnswer() {
    try (RunningEmulator emulator = Emulated.start(SCENARIO, "");
        ModelTransport t = transport(emulator, TransportKind.HTTP, true, new RecordingListener(), new TestTime())) {
      expected = Emulated.converse(t, PROMPT, Emulated.deadline()).answer();
    }
    assertThat(expected).isNotBlank();
  }

  static ModelTransport transport(RunningEmulator emulator, TransportKind kind, boolean forced,
      RecordingListener listener, TestTime time) {
    return transport(emulator, kind, forced, listener, time, Duration.ofMillis(300));
  }

  static ModelTransport transport(RunningEmulator emulator, TransportKind kind, boolean forced,
      RecordingListener listener, TestTime time, Duration idle) {
    return Transports.create(Emulated.settings(emulator).streamIdleTimeout(idle).build(), kind, forced, listener, time,
        time);
  }

  /** A run of one conversation with one fault; the emulator's stats are taken before it stops. */
  record Run(Emulated.Conversation conversation, RuntimeException error, RecordingListener listener, TestTime time,
      EmulatorStats stats, Duration took) {
    long count(String call) {
      return listener.calls.stream().filter(call::equals).count();
    }

    Run recovered() {
      assertThat(error).as("conversation failed").isNull();
      assertThat(conversation.answer()).isEqualTo(expected);
      assertThat(took).isLessThan(BUDGET);
      return this;
    }

    Run failed(ExitCode code, String messagePart) {
      assertThat(error).isInstanceOf(RunnerException.class).hasMessageContaining(messagePart);
      assertThat(((RunnerException) error).exitCode()).isEqualTo(code);
      assertThat(took).isLessThan(BUDGET);
      return this;
    }
  }

  static Run run(String faults, TransportKind kind, boolean forced) {
    return run(SCENARIO, faults, kind, forced);
  }

  static Run run(String scenario, String faults, TransportKind kind, boolean forced) {
    return run(scenario, faults, kind, forced, Duration.ofMillis(300));
  }

  static Run run(String scenario, String faults, TransportKind kind, boolean forced, Duration idle) {
    RecordingListener listener = new RecordingListener();
    TestTime time = new TestTime();
    Instant start = Instant.now();
    try (RunningEmulator emulator = Emulated.start(scenario, faults);
        ModelTransport t = transport(emulator, kind, forced, listener, time, idle)) {
      Emulated.Conversation c = null;
      RuntimeException error = null;
      try {
        c = Emulated.converse(t, PROMPT, Emulated.deadline());
      } catch (RuntimeException e) {
        error = e;
      }
      return new Run(c, error, listener, time, emulator.stats(), Duration.between(start, Instant.now()));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void aResetMidStreamIsRetried(TransportKind kind) {
    Run r = run("reset@2", kind, true).recovered();
    assertThat(r.conversation().streamRetries() + r.conversation().requestRetries()).isEqualTo(1);
    if (kind == TransportKind.WEBSOCKET) {
      assertThat(r.count("reconnect")).isEqualTo(1);
      assertThat(r.stats().websocketHandshakes()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void aClose1008BeforeCompletedIsRetried(TransportKind kind) {
    Run r = run("close1008@2", kind, true).recovered();
    assertThat(r.conversation().streamRetries()).isEqualTo(1);
    if (kind == TransportKind.WEBSOCKET) {
      assertThat(r.count("reconnect")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void aStalledStreamIsRetriedAfterTheIdleTimeout(TransportKind kind) {
    Run r = run("stall@2", kind, true).recovered();
    assertThat(r.conversation().streamRetries()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void http429WaitsWhatRetryAfterAsks(TransportKind kind) {
    Run r = run("http429@2", kind, true).recovered();
    assertThat(r.conversation().requestRetries()).isEqualTo(1);
    assertThat(r.time().sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void http500AndOverloaded503AreRetried(TransportKind kind) {
    Run r = run("http500@2,http503@3", kind, true).recovered();
    assertThat(r.conversation().requestRetries()).isEqualTo(2);
    assertThat(r.count("retry")).isEqualTo(2);
  }

  @Test
  void previousResponseNotFoundResendsTheFullInputOnTheSameSocket() {
    Run r = run("previous_response_not_found@2", TransportKind.WEBSOCKET, true).recovered();
    assertThat(r.stats().websocketHandshakes()).isEqualTo(1);
    assertThat(r.count("reconnect")).isZero();
    assertThat(r.count("retry")).isZero();
    // turn 2 went full after the error; turn 3 chains again
    assertThat(r.conversation().turns()).extracting(t -> t.facts().incremental()).containsExactly(false, false, true);
  }

  @Test
  void previousResponseNotFoundNeverHitsHttpBecauseHttpNeverChains() {
    Run r = run("previous_response_not_found@2", TransportKind.HTTP, true).recovered();
    assertThat(r.stats().faultsInjected()).isZero();
    assertThat(r.count("retry")).isZero();
  }

  @Test
  void theConnectionLimitOpensANewSocketWithTheFullInput() {
    Run r = run("websocket_connection_limit_reached@2", TransportKind.WEBSOCKET, true).recovered();
    assertThat(r.stats().websocketHandshakes()).isEqualTo(2);
    assertThat(r.count("reconnect")).isEqualTo(1);
    assertThat(r.conversation().turns()).extracting(t -> t.facts().incremental()).containsExactly(false, false, true);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void malformedBinaryAndTruncatedEventsAreStreamRetries(TransportKind kind) {
    Run r = run("malformed@1,binary@2,truncated@3", kind, true).recovered();
    assertThat(r.conversation().streamRetries()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void anOversizedEventUnderTheDocumentLimitIsRead(TransportKind kind) {
    // 17 MiB take longer than the short idle timeout the other faults use to travel
    Run r = run(SCENARIO, "oversized@2", kind, true, Duration.ofSeconds(5)).recovered();
    assertThat(r.listener().reasons).isEmpty();
    assertThat(r.conversation().streamRetries() + r.conversation().requestRetries()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void aRetryableResponseFailedIsRetriedOnce(TransportKind kind) {
    Run r = run("failed@2", kind, true).recovered();
    assertThat(r.conversation().requestRetries()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void aResponseFailedWithAModelCodeIsExit1WithoutRetry(TransportKind kind, @TempDir Path dir) throws Exception {
    Path scenario = dir.resolve("fail.json");
    Files.writeString(scenario, """
        {"name":"fail","turns":[{"shell":"echo step 1"},
          {"fail":{"code":"invalid_prompt","message":"The prompt was flagged."}}]}""");
    Run r = run(scenario.toString(), "", kind, true).failed(ExitCode.TASK_FAILED, "invalid_prompt");
    assertThat(r.count("retry")).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = TransportKind.class)
  void responseIncompleteIsATaskFailureWithItsReason(TransportKind kind) {
    Run r = run("incomplete@2", kind, true).failed(ExitCode.TASK_FAILED, "max_output_tokens");
    assertThat(r.count("retry")).isZero();
  }

  @Test
  void aRefusedUpgradeFallsBackToHttpOnceInAutoMode() {
    for (String fault : new String[]{"upgrade426@*", "upgrade404@*"}) {
      Run r = run(fault, TransportKind.WEBSOCKET, false).recovered();
      assertThat(r.count("fallback")).as(fault).isEqualTo(1);
      assertThat(r.stats().websocketHandshakes()).isZero();
      assertThat(r.stats().httpRequests()).isEqualTo(3);
      assertThat(r.conversation().turns()).allMatch(t -> t.facts().transport() == TransportKind.HTTP);
    }
  }

  @Test
  void aRefusedUpgradeIsExit4WhenWebSocketIsForced() {
    for (String fault : new String[]{"upgrade426@1", "upgrade404@1"}) {
      Run r = run(fault, TransportKind.WEBSOCKET, true).failed(ExitCode.TRANSPORT, "upgrade refused");
      assertThat(r.count("fallback")).isZero();
      assertThat(r.stats().httpRequests()).isZero();
    }
  }

  @Test
  void exhaustedRetriesKeepTheirExitCodes() {
    run("http500@*", TransportKind.HTTP, true).failed(ExitCode.TRANSPORT, "kept failing");
    run("failed@*", TransportKind.WEBSOCKET, true).failed(ExitCode.TRANSPORT, "server_error");
    run("http429@*", TransportKind.WEBSOCKET, true).failed(ExitCode.TRANSPORT, "kept failing");
    assertThatThrownBy(() -> {
      throw run("stall@*", TransportKind.HTTP, true).error();
    }).isInstanceOf(RunnerException.class);
  }
}
