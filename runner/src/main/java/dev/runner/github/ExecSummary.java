package dev.runner.github;

import dev.runner.metrics.RunReport;
import dev.runner.metrics.TurnTiming;
import java.util.Locale;

/**
 * The step summary of one {@code runner exec}: status, the schema check, a timing table and a Mermaid gantt of the
 * turns and tool calls (GitHub renders Mermaid in step summaries).
 */
final class ExecSummary {
  /** Past this many turns the gantt becomes unreadable; the table still counts them all. */
  static final int GANTT_TURNS = 40;
  private static final int MAX_PROBLEMS = 20;

  private ExecSummary() {}

  static String markdown(ExecOutcome o) {
    StringBuilder b = new StringBuilder();
    b.append("### runner exec: ").append(o.exitCode() == 0 ? "✅ success" : "❌ failed (exit " + o.exitCode() + ")")
        .append("\n\n");
    if (o.error() != null) {
      b.append("> ").append(Markdown.cell(o.error(), 500)).append("\n\n");
    }
    RunReport r = o.report();
    if (r != null) {
      b.append("Provider `").append(Markdown.cell(r.provider(), 80)).append("`, model `")
          .append(Markdown.cell(r.model(), 80)).append("`, transport `").append(r.transport()).append("`.\n\n");
    }
    schema(b, o.schema());
    if (r != null) {
      timing(b, r);
      gantt(b, r);
    }
    return b.toString();
  }

  private static void schema(StringBuilder b, ExecOutcome.SchemaCheck s) {
    if (!s.checked()) {
      b.append("**Output schema:** none given.\n\n");
    } else if (s.valid()) {
      b.append("**Output schema:** ✅ valid.\n\n");
    } else if (s.parseError() != null) {
      b.append("**Output schema:** ❌ the answer is not JSON: ").append(Markdown.cell(s.parseError(), 300))
          .append("\n\n");
    } else {
      b.append("**Output schema:** ❌ ").append(s.problems().size()).append(" violation")
          .append(s.problems().size() == 1 ? "" : "s").append("\n\n| pointer | problem |\n|---|---|\n");
      s.problems().stream().limit(MAX_PROBLEMS).forEach(p -> b.append("| `").append(Markdown.cell(p.location(), 200))
          .append("` | ").append(Markdown.cell(p.message(), 300)).append(" |\n"));
      b.append('\n');
    }
  }

  private static void timing(StringBuilder b, RunReport r) {
    RunReport.Counters c = r.counters();
    b.append("| timing | |\n|---|---:|\n");
    b.append("| start-up to first request (from ").append(r.startupFrom()).append(") | ")
        .append(Markdown.ms(r.startupToFirstRequestMs())).append(" |\n");
    b.append("| wall (tool loop) | ").append(Markdown.ms(r.wallMs())).append(" |\n");
    b.append("| model (server) | ").append(Markdown.ms(r.serverMs())).append(" |\n");
    b.append("| tools | ").append(Markdown.ms(r.toolMs())).append(" |\n");
    b.append("| turns | ").append(r.turns().size()).append(" |\n");
    b.append("| tool calls | ").append(c.toolCalls()).append(" |\n");
    b.append("| connections / retries / fallbacks | ").append(c.handshakes()).append(" / ").append(c.retries())
        .append(" / ").append(c.fallbacks()).append(" |\n");
    b.append("| tokens in / out | ").append(r.tokens().inputTokens()).append(" / ").append(r.tokens().outputTokens())
        .append(" |\n\n");
  }

  /**
   * Turns and tool calls on one time axis from the loop's start. The report keeps durations, not start times, so the
   * layout rebuilds them: a turn's request goes out after the previous turn plus its client time (tools and the
   * runner's own work), and the tool calls a turn asked for start together when it completes.
   */
  private static void gantt(StringBuilder b, RunReport r) {
    if (r.turns().isEmpty()) {
      return;
    }
    b.append("```mermaid\ngantt\n  title Turns and tool calls (ms from the first request)\n  dateFormat x\n")
        .append("  axisFormat %S.%L s\n");
    double t = 0;
    int shown = Math.min(GANTT_TURNS, r.turns().size());
    for (int i = 0; i < shown; i++) {
      TurnTiming turn = r.turns().get(i);
      if (i > 0) {
        t += Math.max(0, turn.clientMs());
      }
      double end = t + Math.max(1, turn.latencyMs());
      b.append("  section turn ").append(turn.turn()).append('\n');
      b.append("  model ").append(Markdown.mermaidName(turn.mode())).append(" :t").append(turn.turn()).append(", ")
          .append(ms(t)).append(", ").append(ms(end)).append('\n');
      int call = 0;
      for (TurnTiming.ToolTiming tool : turn.tools()) {
        call++;
        b.append("  ").append(Markdown.mermaidName(tool.tool())).append(tool.success() ? "" : " (failed)")
            .append(" :").append(tool.success() ? "" : "crit, ").append("c").append(turn.turn()).append('_')
            .append(call).append(", ").append(ms(end)).append(", ").append(ms(end + Math.max(1, tool.ms())))
            .append('\n');
      }
      t = end;
    }
    b.append("```\n");
    if (shown < r.turns().size()) {
      b.append("\nThe chart shows the first ").append(shown).append(" of ").append(r.turns().size())
          .append(" turns.\n");
    }
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%d", Math.round(v));
  }
}
