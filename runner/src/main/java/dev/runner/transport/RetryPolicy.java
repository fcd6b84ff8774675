package dev.runner.transport;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs a turn's attempts: two budgets ({@code request_max_retries} for connect, status and IO errors; {@code
 * stream_max_retries} for broken or idle streams), exponential backoff 200 ms × 2^(n-1) ±10 % capped at 10 s, the
 * server's {@code Retry-After-Ms} / {@code Retry-After} (at most 60 s) / {@code X-Should-Retry} honoured, and never a
 * wait past the deadline. Failures it will not retry become {@link RunnerException}s (see {@link TransportSession}).
 */
public final class RetryPolicy {
  static final Duration BASE = Duration.ofMillis(200);
  static final Duration CAP = Duration.ofSeconds(10);
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
  private static final Set<String> QUOTA = Set.of("insufficient_quota", "credit_balance_exhausted");
  private static final Log LOG = Log.of("transport");

  private final int requestMax;
  private final int streamMax;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RandomGenerator random;

  public RetryPolicy(int requestMax, int streamMax, Sleeper sleeper, Clock clock, RandomGenerator random) {
    this.requestMax = requestMax;
    this.streamMax = streamMax;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  /** Which budget a failure draws on. */
  public enum Budget {
    REQUEST,
    STREAM,
    NONE
  }

  /** Retries used so far in this turn. */
  public record Count(int request, int stream) {
    public int total() {
      return request + stream;
    }
  }

  /** One attempt; it may look at the count to know whether it is a retry. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(Count count);
  }

  public static Budget classify(TransportFailure f) {
    if (f.shouldRetry() != null && f.kind() != TransportFailure.Kind.UPGRADE) {
      return f.shouldRetry()
          ? f.kind() == TransportFailure.Kind.STREAM ? Budget.STREAM : Budget.REQUEST
          : Budget.NONE;
    }
    return switch (f.kind()) {
      case CONNECT, IO -> Budget.REQUEST;
      case STREAM, IDLE -> Budget.STREAM;
      case STATUS, API -> retryableError(f) ? Budget.REQUEST : Budget.NONE;
      case PROTOCOL, UPGRADE, TLS, PROXY -> Budget.NONE;
    };
  }

  private static boolean retryableError(TransportFailure f) {
    int status = f.error() == null ? 0 : f.error().status();
    String code = f.code();
    if (code != null && QUOTA.contains(code)) {
      return false;
    }
    if (status == 408 || status == 409 || status == 429 || status >= 500) {
      return true;
    }
    // an SSE error event has no status: trust the code
    return status == 0 && ("rate_limit_exceeded".equals(code) || "server_error".equals(code));
  }

  /** Runs {@code attempt} until it succeeds, fails for good, or the deadline comes. */
  public <T> T run(Attempt<T> attempt, Instant deadline, TransportListener listener, String where) {
    int request = 0;
    int stream = 0;
    while (true) {
      if (!Instant.now(clock).isBefore(deadline)) {
        throw RunnerException.timeout("the turn deadline passed before a response from " + where,
            "raise --timeout or make the task smaller");
      }
      try {
        return attempt.run(new Count(request, stream));
      } catch (TransportFailure f) {
        Budget budget = classify(f);
        if (budget == Budget.NONE) {
          throw giveUp(f, where, request + stream);
        }
        int used = budget == Budget.REQUEST ? ++request : ++stream;
        if (used > (budget == Budget.REQUEST ? requestMax : streamMax)) {
          throw giveUp(f, where, used - 1);
        }
        // the server's wait is honoured up to a bound, so a bogus header cannot park the run
        Duration wait = f.retryAfter() != null ? min(f.retryAfter(), MAX_RETRY_AFTER) : backoff(used);
        if (Instant.now(clock).plus(wait).isAfter(deadline)) {
          throw RunnerException.timeout("retrying " + where + " after " + f.getMessage() + " would pass the deadline",
              "raise --timeout or try again later");
        }
        int attemptNo = request + stream;
        LOG.debug(() -> "retry " + attemptNo + " of " + NettyClients.safeUrl(where) + " in " + wait.toMillis() + " ms: "
            + f.getMessage());
        listener.retry(attemptNo, f.getMessage(), wait);
        sleep(wait);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The n-th (1-based) backoff: 200 ms × 2^(n-1), ±10 % jitter, capped. */
  public Duration backoff(int n) {
    long base = BASE.toMillis() << Math.min(n - 1, 20);
    long capped = Math.min(base, CAP.toMillis());
    double jitter = 0.9 + 0.2 * random.nextDouble();
    return Duration.ofMillis(Math.round(capped * jitter));
  }

  private void sleep(Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.transport("interrupted while waiting to retry", null, e);
    }
  }

  /** The exception for a failure that will not be retried (any more). */
  public static RuntimeException giveUp(TransportFailure f, String where, int retries) {
    return switch (f.kind()) {
      case UPGRADE -> f;
      case TLS ->
        RunnerException.transport(f.getMessage(), "set the provider's ca_file (or SSL_CERT_FILE) to the PEM of "
            + "the CA that signed the server's certificate; verification is never switched off", f);
      case PROXY -> {
        ProxyRefusal refusal = ProxyRefusal.of(f);
        yield RunnerException.transport(f.getMessage(), refusal == null ? null : refusal.hint(where), f);
      }
      // a server-side or rate-limit error that outlived its retries is the same failure class whichever way it
      // arrived (an HTTP status, an SSE or a WebSocket error event), so it gets the same exit code
      case API -> classify(f) != Budget.NONE
          ? RunnerException.transport(
              "the model API at " + where + " kept failing after " + retries + " retries: " + f.getMessage(),
              "try again later, or raise request_max_retries", f)
          // the response itself failed for good (a 4xx-class error, incomplete): the task failed
          : RunnerException.taskFailed("the model API at " + where + " answered " + f.getMessage()
              + (retries > 0 ? " (after " + retries + " retries)" : ""), f);
      case STATUS -> classify(f) == Budget.NONE
          ? RunnerException.taskFailed("the model API at " + where + " answered " + f.getMessage(), f)
          : RunnerException.transport(
              "the model API at " + where + " kept failing after " + retries + " retries: " + f.getMessage(),
              "try again later, or raise request_max_retries", f);
      case IDLE -> RunnerException.timeout(
          "no event from " + where + " within the stream idle timeout after " + retries + " retries",
          "raise stream_idle_timeout_ms or check the network");
      default -> RunnerException.transport(
          "transport to " + where + " failed after " + retries + " retries: " + f.getMessage(),
          "check the network, proxy and base_url; or raise request_max_retries / stream_max_retries", f);
    };
  }

  /**
   * The wait a server asked for: {@code Retry-After-Ms}, else {@code Retry-After} in seconds or as an HTTP date; null
   * when neither parses.
   */
  public static Duration retryAfter(Function<String, String> header, Clock clock) {
    String ms = header.apply("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(ms.trim())));
      } catch (NumberFormatException e) {
        // fall through to Retry-After
      }
    }
    String after = header.apply("retry-after");
    if (after == null) {
      return null;
    }
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(after.trim()) * 1000)));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(after.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(clock), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** {@code X-Should-Retry: true|false}, or null. */
  public static Boolean shouldRetry(Function<String, String> header) {
    String v = header.apply("x-should-retry");
    return v == null ? null : Boolean.valueOf("true".equalsIgnoreCase(v.trim()));
  }
}
