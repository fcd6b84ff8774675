package dev.runner.emulator;

import java.time.Duration;
import java.util.Locale;

/**
 * Server-side timing of one response. All knobs are 0 in {@link #ZERO} (tests); {@link #REALISTIC} approximates the
 * hosted service for benchmarks. The server adds these delays with Reactor timers, never by blocking a thread.
 *
 * @param timeToFirstTokenMs from {@code response.in_progress} to the first output item (model "thinking" + prefill)
 * @param tokensPerSecond output speed; each delta waits {@code tokens / tokensPerSecond}; 0 means instant
 * @param httpOverheadMs per-request overhead when the server must rebuild state: every HTTP request and every WebSocket
 *     create without a cached parent (auth, routing, loading the conversation)
 * @param wsCachedOverheadMs per-request overhead of a WebSocket create whose parent is in the connection cache (the
 *     service reuses the in-memory state, which is the point of WebSocket mode)
 * @param perKibUncachedMs prefill cost of each KiB of input that did not come from a cached parent
 */
public record LatencyModel(
    long timeToFirstTokenMs,
    double tokensPerSecond,
    long httpOverheadMs,
    long wsCachedOverheadMs,
    double perKibUncachedMs) {

  /** No delays at all. */
  public static final LatencyModel ZERO = new LatencyModel(0, 0, 0, 0, 0);

  /**
   * Numbers for benchmarks, assumptions rather than measurements: 300 ms to first token is a typical small-reasoning
   * model answer start; 80 tokens/s is a mid-size model's streaming speed; 120 ms HTTP overhead stands for TLS-free
   * request handling plus reloading the conversation from storage; 20 ms for a WebSocket turn whose parent is still in
   * the connection's memory; 25 ms per uncached KiB (~256 tokens) is prefill at about 10k tokens/s. Over HTTP the whole
   * context is uncached in every request (this model has no cross-request prompt cache), over WebSocket only the new
   * items are. Together they put a 20+ tool-call session near the ~40 % saving OpenAI states for WebSocket mode.
   */
  public static final LatencyModel REALISTIC = new LatencyModel(300, 80, 120, 20, 25);

  public LatencyModel {
    if (timeToFirstTokenMs < 0 || tokensPerSecond < 0 || httpOverheadMs < 0 || wsCachedOverheadMs < 0
        || perKibUncachedMs < 0) {
      throw new IllegalArgumentException("latency knobs must not be negative");
    }
  }

  /** {@code zero} or {@code realistic}. */
  public static LatencyModel named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "zero", "none", "0" -> ZERO;
      case "realistic" -> REALISTIC;
      default -> throw new IllegalArgumentException(
          "unknown latency profile '" + name + "'; use zero or realistic");
    };
  }

  /** Delay before {@code response.created}: request overhead plus prefill of the uncached input. */
  Duration beforeCreated(boolean cachedParent, boolean websocket, long uncachedInputBytes) {
    long overhead = websocket && cachedParent ? wsCachedOverheadMs : httpOverheadMs;
    double prefill = perKibUncachedMs * uncachedInputBytes / 1024.0;
    return Duration.ofNanos((long) ((overhead + prefill) * 1_000_000));
  }

  Duration firstToken() {
    return Duration.ofMillis(timeToFirstTokenMs);
  }

  /** Streaming time of a delta of {@code tokens} tokens. */
  Duration perDelta(long tokens) {
    if (tokensPerSecond <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (tokens * 1_000_000_000L / tokensPerSecond));
  }
}
