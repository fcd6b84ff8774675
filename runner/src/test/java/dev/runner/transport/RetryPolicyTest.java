package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.protocol.ApiError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static TransportFailure status(int status, String code, Boolean shouldRetry) {
    return new TransportFailure(TransportFailure.Kind.STATUS, "x", new ApiError(status, null, code, "m", null), null,
        shouldRetry, null);
  }

  @Test
  void backoffDoublesWithTenPercentJitterAndACap() {
    RetryPolicy p = new RetryPolicy(4, 5, d -> {}, CLOCK, RandomGenerator.getDefault());
    for (int i = 0; i < 50; i++) {
      assertThat(p.backoff(1).toMillis()).isBetween(180L, 220L);
      assertThat(p.backoff(3).toMillis()).isBetween(720L, 880L);
      assertThat(p.backoff(12).toMillis()).isBetween(9000L, 11000L);
    }
  }

  @Test
  void classifiesWhatIsRetried() {
    assertThat(RetryPolicy.classify(status(500, null, null))).isEqualTo(RetryPolicy.Budget.REQUEST);
    assertThat(RetryPolicy.classify(status(408, null, null))).isEqualTo(RetryPolicy.Budget.REQUEST);
    assertThat(RetryPolicy.classify(status(429, "rate_limit_exceeded", null))).isEqualTo(RetryPolicy.Budget.REQUEST);
    assertThat(RetryPolicy.classify(status(429, "insufficient_quota", null))).isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.classify(status(429, "credit_balance_exhausted", null))).isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.classify(status(401, null, null))).isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.classify(status(404, null, null))).isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.classify(status(400, null, true))).isEqualTo(RetryPolicy.Budget.REQUEST);
    assertThat(RetryPolicy.classify(status(503, null, false))).isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.classify(TransportFailure.of(TransportFailure.Kind.IDLE, "idle", null)))
        .isEqualTo(RetryPolicy.Budget.STREAM);
    assertThat(RetryPolicy.classify(TransportFailure.of(TransportFailure.Kind.PROTOCOL, "big", null)))
        .isEqualTo(RetryPolicy.Budget.NONE);
  }

  @Test
  void readsRetryAfterMsThenSecondsThenHttpDate() {
    assertThat(RetryPolicy.retryAfter(Map.of("retry-after-ms", "250", "retry-after", "9")::get, CLOCK))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(RetryPolicy.retryAfter(Map.of("retry-after", "2")::get, CLOCK)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryPolicy.retryAfter(Map.of("retry-after", "Thu, 01 Jan 2026 00:00:07 GMT")::get, CLOCK))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryPolicy.retryAfter(Map.<String, String>of()::get, CLOCK)).isNull();
  }

  @Test
  void aServersLongRetryAfterIsCappedAtSixtySeconds() {
    TestTime time = new TestTime();
    RetryPolicy p = new RetryPolicy(4, 5, time, time, RandomGenerator.getDefault());
    TransportFailure slow = new TransportFailure(TransportFailure.Kind.STATUS, "429", new ApiError(429, null,
        "rate_limit_exceeded", "m", null), Duration.ofMinutes(10), null, null);
    int[] calls = {0};
    String result = p.run(count -> {
      if (calls[0]++ == 0) {
        throw slow;
      }
      return "ok";
    }, Instant.now().plus(Duration.ofMinutes(5)), TransportListener.NONE, "here");
    assertThat(result).isEqualTo("ok");
    assertThat(time.sleeps).containsExactly(RetryPolicy.MAX_RETRY_AFTER);
  }

  @Test
  void untrustedCertificatesAndIncompleteResponsesAreNeverRetried() {
    assertThat(RetryPolicy.classify(TransportFailure.of(TransportFailure.Kind.TLS, "tls", null)))
        .isEqualTo(RetryPolicy.Budget.NONE);
    assertThat(RetryPolicy.giveUp(TransportFailure.api(new ApiError(0, null, "invalid_prompt", "m", null)), "here", 0))
        .isInstanceOfSatisfying(dev.runner.RunnerException.class, e -> assertThat(e.exitCode())
            .isEqualTo(dev.runner.ExitCode.TASK_FAILED));
    // a server error that outlived its retries is the service failing, as a 500 status is (one failure, one code)
    assertThat(RetryPolicy.giveUp(TransportFailure.api(new ApiError(0, null, "server_error", "m", null)), "here", 5))
        .isInstanceOfSatisfying(dev.runner.RunnerException.class, e -> assertThat(e.exitCode())
            .isEqualTo(dev.runner.ExitCode.TRANSPORT));
  }
}
