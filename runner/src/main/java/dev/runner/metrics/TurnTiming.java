package dev.runner.metrics;

import java.util.List;

/**
 * One model turn as the report shows it. Times are milliseconds; -1 where it did not happen.
 *
 * @param turn 1-based turn number
 * @param mode {@code full} or {@code incremental} (what the request carried)
 * @param latencyMs request sent to response completed (server time as the client sees it)
 * @param firstEventMs request sent to the first server event
 * @param firstDeltaMs request sent to the first output delta
 * @param clientMs time since the previous turn completed until this request was sent (tools + runner overhead)
 * @param bytesSent request bytes
 * @param tools the turn's tool calls with their wall times
 */
public record TurnTiming(int turn, String mode, double latencyMs, double firstEventMs, double firstDeltaMs,
    double clientMs, long bytesSent, List<ToolTiming> tools) {
  public TurnTiming {
    tools = List.copyOf(tools);
  }

  /** One tool call's name and wall time. */
  public record ToolTiming(String tool, double ms, boolean success) {}
}
