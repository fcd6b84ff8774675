package dev.runner.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link ConfigReport} as aligned text: key, value, source. */
public final class ConfigText {
  private ConfigText() {}

  /**
   * @param verbose also list the keys the runner ignored
   */
  public static String render(ConfigReport report, boolean verbose) {
    StringBuilder out = new StringBuilder();
    out.append("files read:");
    if (report.files().isEmpty()) {
      out.append(" none (built-in defaults only)\n");
    } else {
      out.append('\n');
      for (Path f : report.files()) {
        out.append("  ").append(f).append('\n');
      }
    }
    out.append('\n');
    int keyWidth = report.rows().stream().mapToInt(r -> r.key().length()).max().orElse(0);
    int valueWidth = Math.min(48, report.rows().stream()
        .mapToInt(r -> format(r.value()).length()).max().orElse(0));
    for (ConfigReport.Row row : report.rows()) {
      String source = row.reason().isEmpty() ? row.source() : row.reason();
      out.append(pad(row.key(), keyWidth)).append("  ")
          .append(pad(format(row.value()), valueWidth)).append("  ")
          .append(source).append('\n');
    }
    if (verbose) {
      out.append('\n');
      if (report.unknownKeys().isEmpty()) {
        out.append("ignored keys: none\n");
      } else {
        out.append("ignored keys (not used by the runner):\n");
        int width = report.unknownKeys().stream().mapToInt(u -> u.key().length()).max().orElse(0);
        for (UnknownKey u : report.unknownKeys()) {
          out.append("  ").append(pad(u.key(), width)).append("  ").append(u.source()).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** Strings as they are, tables and arrays in TOML's inline form. */
  static String format(Object value) {
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "{}";
      }
      return map.entrySet().stream()
          .map(e -> e.getKey() + " = \"" + e.getValue() + "\"")
          .collect(Collectors.joining(", ", "{ ", " }"));
    }
    return String.valueOf(value);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
