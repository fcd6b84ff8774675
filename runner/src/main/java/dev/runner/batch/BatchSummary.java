package dev.runner.batch;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The end-of-batch summary on stderr: counts by status, task wall percentiles, turns, tokens, connections. */
final class BatchSummary {
  private BatchSummary() {}

  static void print(PrintWriter err, Collection<TaskResult> ran, int skipped, double elapsedSeconds,
      SharedTransports transports) {
    Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
    ran.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
    double[] walls = ran.stream().filter(r -> r.status() != TaskStatus.CANCELLED || r.attempts() > 0)
        .mapToDouble(r -> r.timing().wallMs()).sorted().toArray();
    long turns = ran.stream().mapToLong(r -> r.timing().turns()).sum();
    long in = ran.stream().mapToLong(r -> r.timing().inputTokens()).sum();
    long out = ran.stream().mapToLong(r -> r.timing().outputTokens()).sum();
    long sent = ran.stream().mapToLong(r -> r.timing().bytesSent()).sum();
    long received = ran.stream().mapToLong(r -> r.timing().bytesReceived()).sum();
    StringBuilder b = new StringBuilder("runner: batch of ").append(ran.size()).append(" task")
        .append(ran.size() == 1 ? "" : "s");
    if (skipped > 0) {
      b.append(" (").append(skipped).append(" already done, skipped)");
    }
    b.append(':');
    for (TaskStatus s : TaskStatus.values()) {
      if (counts.containsKey(s)) {
        b.append(' ').append(counts.get(s)).append(' ').append(s.label()).append(',');
      }
    }
    b.setLength(b.length() - (b.charAt(b.length() - 1) == ',' ? 1 : 0));
    b.append(String.format(Locale.ROOT, " in %.1f s%n", elapsedSeconds));
    if (walls.length > 0) {
      b.append(
          String.format(Locale.ROOT, "runner: task wall p50 %.0f ms, p95 %.0f ms, max %.0f ms; %d turns (%.1f/s)%n",
              percentile(walls, 50), percentile(walls, 95), walls[walls.length - 1], turns,
              elapsedSeconds > 0 ? turns / elapsedSeconds : 0));
    }
    b.append(String.format(Locale.ROOT,
        "runner: %d connections opened over %d pool%s, %d retries, %d fallbacks; %d B sent, %d B received; tokens"
            + " %d in, %d out",
        transports.connections(), transports.pools(), transports.pools() == 1 ? "" : "s", transports.retries(),
        transports.fallbacks(), sent, received, in, out));
    err.println(b);
    err.flush();
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
