package dev.runner.github;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The step summary of a {@code runner batch}: a status table, the failed tasks and the slowest ones. */
final class BatchSummaryMarkdown {
  static final int LISTED = 10;

  private BatchSummaryMarkdown() {}

  static String markdown(BatchOutcome o) {
    StringBuilder b = new StringBuilder("### runner batch: ")
        .append(o.exitCode() == 0 ? "✅ all tasks ok" : "❌ exit " + o.exitCode()).append("\n\n");
    b.append("| status | tasks |\n|---|---:|\n");
    for (Map.Entry<String, Integer> e : o.counts().entrySet()) {
      b.append("| ").append(icon(e.getKey())).append(' ').append(Markdown.cell(e.getKey(), 40)).append(" | ")
          .append(e.getValue()).append(" |\n");
    }
    b.append("| **total** | **").append(o.tasks().size()).append("** |\n\n");
    List<BatchOutcome.Task> bad = o.tasks().stream().filter(t -> !"ok".equals(t.status())).toList();
    if (!bad.isEmpty()) {
      b.append("#### Not ok").append(bad.size() > LISTED ? " (first " + LISTED + " of " + bad.size() + ")" : "")
          .append("\n\n| task | status | exit | error |\n|---|---|---:|---|\n");
      bad.stream().limit(LISTED).forEach(t -> b.append("| `").append(Markdown.cell(t.id(), 80)).append("` | ")
          .append(Markdown.cell(t.status(), 40)).append(" | ").append(t.exitCode() == null ? "–" : t.exitCode())
          .append(" | ").append(Markdown.cell(t.errors().isEmpty() ? "" : t.errors().get(0), 200)).append(" |\n"));
      b.append('\n');
    }
    List<BatchOutcome.Task> slowest = o.tasks().stream().filter(t -> t.attempts() > 0)
        .sorted(Comparator.comparingDouble(BatchOutcome.Task::wallMs).reversed()).limit(LISTED).toList();
    if (!slowest.isEmpty()) {
      b.append("#### Slowest tasks\n\n| task | status | wall |\n|---|---|---:|\n");
      slowest.forEach(t -> b.append("| `").append(Markdown.cell(t.id(), 80)).append("` | ")
          .append(Markdown.cell(t.status(), 40)).append(" | ").append(Markdown.ms(t.wallMs())).append(" |\n"));
      b.append('\n');
    }
    b.append("Results: `").append(Markdown.cell(o.resultsFile().toString(), 200)).append('`');
    if (o.junitFile() != null) {
      b.append(", JUnit: `").append(Markdown.cell(o.junitFile().toString(), 200)).append('`');
    }
    return b.append("\n").toString();
  }

  private static String icon(String status) {
    return switch (status) {
      case "ok" -> "✅";
      case "schema_invalid" -> "⚠️";
      case "cancelled" -> "⏹️";
      default -> "❌";
    };
  }
}
