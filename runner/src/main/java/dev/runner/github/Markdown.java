package dev.runner.github;

import java.util.Locale;

/** Small helpers for the step summary's Markdown: table cells and numbers. */
final class Markdown {
  private Markdown() {}

  /** Text for a table cell: one line, pipes and HTML-significant characters escaped, at most {@code max} chars. */
  static String cell(String s, int max) {
    String oneLine = s.replace("\r", "").replace('\n', ' ').strip();
    if (oneLine.length() > max) {
      oneLine = oneLine.substring(0, max - 1) + "…";
    }
    return oneLine.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
        .replace("`", "'");
  }

  static String ms(double ms) {
    return ms < 0 ? "–" : String.format(Locale.ROOT, "%.0f ms", ms);
  }

  /** A name Mermaid's gantt accepts as a task or section name: no colon, hash or semicolon. */
  static String mermaidName(String s) {
    return s.replaceAll("[:#;\\r\\n]", " ").strip();
  }
}
