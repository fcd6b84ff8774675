package dev.runner.metrics;

import dev.runner.protocol.Usage;
import java.util.List;

/**
 * The timing report of one run: what {@code --metrics} writes and the stderr summary shows.
 *
 * @param provider provider id
 * @param transport the transport used at the end ({@code websocket} or {@code http})
 * @param model model id
 * @param success whether the run ended with an accepted final message
 * @param wallMs session wall time: from the loop's start (after start-up and checks) to its end
 * @param startupToFirstRequestMs from {@code startupFrom} to the first request byte written; negative when no request
 *     was sent
 * @param startupFrom {@code launcher} (the launcher script's start, JVM creation included) or {@code jvm}
 * @param turns per-turn timings
 * @param counters transport counters
 * @param tokens token totals
 */
public record RunReport(String provider, String transport, String model, boolean success, double wallMs,
    double startupToFirstRequestMs, String startupFrom, List<TurnTiming> turns, Counters counters, Usage tokens) {
  public RunReport {
    turns = List.copyOf(turns);
  }

  /** Transport counters over the whole run. */
  public record Counters(long handshakes, long reconnects, long fallbacks, long retries, long rotations,
      long bytesSent, long bytesReceived, long framesSent, long framesReceived, long fullRequests,
      long incrementalRequests, long toolCalls, long toolErrors, double connectMs, long compactions) {}

  public double toolMs() {
    return turns.stream().flatMap(t -> t.tools().stream()).mapToDouble(TurnTiming.ToolTiming::ms).sum();
  }

  public double serverMs() {
    return turns.stream().mapToDouble(t -> Math.max(0, t.latencyMs())).sum();
  }
}
