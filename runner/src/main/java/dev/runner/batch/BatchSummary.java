package dev.runner.batch;

import java.io.PrintWriter;
import java.util.Locale;

/** The end-of-batch summary on stderr: counts by status, task wall and first-event percentiles, turns, traffic. */
final class BatchSummary {
  private BatchSummary() {}

  static void print(PrintWriter err, BatchMetrics m) {
    StringBuilder b = new StringBuilder("runner: batch of ").append(m.tasks()).append(" task")
        .append(m.tasks() == 1 ? "" : "s");
    if (m.skipped() > 0) {
      b.append(" (").append(m.skipped()).append(" already done, skipped)");
    }
    b.append(':');
    String counts = count(m.ok(), "ok") + count(m.schemaInvalid(), "schema_invalid") + count(m.failed(), "failed")
        + count(m.timeout(), "timeout") + count(m.cancelled(), "cancelled");
    b.append(counts, 0, Math.max(0, counts.length() - 1));
    b.append(String.format(Locale.ROOT, " in %.1f s%n", m.elapsedS()));
    b.append(String.format(Locale.ROOT,
        "runner: task wall p50 %.0f ms, p95 %.0f ms, max %.0f ms; first event p50 %.0f ms, p95 %.0f ms; %d turns"
            + " (%.1f/s)%n",
        m.wallMs().p50(), m.wallMs().p95(), m.wallMs().max(), m.firstEventMs().p50(), m.firstEventMs().p95(),
        m.turns(), m.turnsPerSecond()));
    b.append(String.format(Locale.ROOT,
        "runner: %d connections opened over %d pool%s, %d retries, %d fallbacks; %d B sent, %d B received; tokens"
            + " %d in, %d out",
        m.connections(), m.pools(), m.pools() == 1 ? "" : "s", m.retries(), m.fallbacks(), m.bytesSent(),
        m.bytesReceived(), m.inputTokens(), m.outputTokens()));
    err.println(b);
    err.flush();
  }

  private static String count(int n, String label) {
    return n == 0 ? "" : " " + n + " " + label + ",";
  }
}
