package dev.runner.report;

import dev.runner.metrics.RunReport;
import java.io.PrintWriter;
import java.util.Locale;

/** The compact timing table printed on stderr at the end of a run (hidden with {@code -q}). */
public final class Summary {
  private Summary() {}

  public static void print(PrintWriter err, RunReport r) {
    RunReport.Counters c = r.counters();
    int turns = r.turns().size();
    double overhead = turns == 0 ? 0 : Math.max(0, r.wallMs() - r.serverMs() - r.toolMs()) / turns;
    StringBuilder sb = new StringBuilder(512);
    sb.append(String.format(Locale.ROOT, "runner: %s in %s · %s via %s · %d turns · %d tool calls%n",
        r.success() ? "done" : "failed", seconds(r.wallMs()), r.provider(), r.transport(), turns, c.toolCalls()));
    row(sb, "launcher".equals(r.startupFrom()) ? "start-up to 1st request" : "JVM start to 1st request",
        ms(r.startupToFirstRequestMs()));
    row(sb, "model (server) time", seconds(r.serverMs()) + "   tools " + seconds(r.toolMs())
        + "   client overhead/turn " + ms(overhead));
    row(sb, "first event / delta", "median " + ms(median(r, true)) + " / " + ms(median(r, false)));
    row(sb, "connections", c.handshakes() + " handshake(s), " + c.reconnects() + " reconnect(s), " + c.fallbacks()
        + " fallback(s), " + c.retries() + " retr" + (c.retries() == 1 ? "y" : "ies"));
    row(sb, "wire", bytes(c.bytesSent()) + " up, " + bytes(c.bytesReceived()) + " down, " + c.fullRequests()
        + " full + " + c.incrementalRequests() + " incremental request(s)");
    row(sb, "tokens", String.format(Locale.ROOT, "input %,d (cached %,d), output %,d (reasoning %,d)",
        r.tokens().inputTokens(), r.tokens().cachedTokens(), r.tokens().outputTokens(),
        r.tokens().reasoningTokens()));
    synchronized (err) {
      err.print(sb);
      err.flush();
    }
  }

  private static double median(RunReport r, boolean firstEvent) {
    double[] v = r.turns().stream().mapToDouble(t -> firstEvent ? t.firstEventMs() : t.firstDeltaMs())
        .filter(x -> x >= 0).sorted().toArray();
    return v.length == 0 ? -1 : v[v.length / 2];
  }

  private static void row(StringBuilder sb, String label, String value) {
    sb.append(String.format(Locale.ROOT, "  %-24s %s%n", label, value));
  }

  static String ms(double ms) {
    return ms < 0
        ? "-"
        : ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  static String seconds(double ms) {
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  static String bytes(long b) {
    return b < 1024
        ? b + " B"
        : b < 1024 * 1024
            ? String.format(Locale.ROOT, "%.1f KiB", b / 1024.0)
            : String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
  }
}
