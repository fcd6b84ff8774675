package dev.runner.batch;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The end-of-batch summary on stderr: counts by status; percentiles of task wall, turn latency and time to first
 * event; turns per second; connections, command hosts, bytes and tokens.
 */
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
    b.append(String.format(Locale.ROOT, " in %.1f s; %d turns (%.1f/s)%n", m.elapsedS(), m.turns(),
        m.turnsPerSecond()));
    b.append("runner: p50/p95/max: task wall ").append(ms(m.wallMs())).append("; turn ").append(ms(m.turnMs()))
        .append("; first event ").append(ms(m.turnFirstEventMs())).append(String.format(Locale.ROOT, "%n"));
    long http = m.connections() - m.websocketHandshakes();
    b.append(String.format(Locale.ROOT,
        "runner: %d WebSocket handshake%s and %d HTTP connection%s over %d pool%s, %d retries, %d fallbacks;"
            + " %d command host%s; %d B sent, %d B received; tokens %d in, %d out",
        m.websocketHandshakes(), m.websocketHandshakes() == 1 ? "" : "s", http, http == 1 ? "" : "s", m.pools(),
        m.pools() == 1 ? "" : "s", m.retries(), m.fallbacks(), m.commandHosts(), m.commandHosts() == 1 ? "" : "s",
        m.bytesSent(), m.bytesReceived(), m.inputTokens(), m.outputTokens()));
    err.println(b);
    err.flush();
  }

  private static String ms(BatchMetrics.Percentiles p) {
    return String.format(Locale.ROOT, "%.0f/%.0f/%.0f ms", p.p50(), p.p95(), p.max());
  }

  private static String count(int n, String label) {
    return n == 0 ? "" : " " + n + " " + label + ",";
  }
}
