package dev.runner.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which level each area logs at. Parsed from {@code RUNNER_LOG} in the same shape as codex's {@code
 * CODEX_LOG}: {@code "debug"}, {@code "transport=debug,loop=info"} or {@code
 * "info,transport=trace"}. Areas are the package names ({@code cli, config, transport, loop, tools,
 * schema, report, metrics, emulator}) plus {@code netty} and {@code reactor} for the libraries
 * underneath.
 *
 * @param defaultLevel level for areas not listed
 * @param areas per-area levels
 */
public record LogSettings(Level defaultLevel, Map<String, Level> areas) {
  public LogSettings {
    areas = Map.copyOf(areas);
  }

  /** Warnings only: the default when nothing is asked for. */
  public static LogSettings warnings() {
    return new LogSettings(Level.WARN, Map.of());
  }

  /**
   * Parses a {@code RUNNER_LOG} value on top of a base default level; unknown level names are
   * reported through {@code problems} and skipped, never fatal (a typo in an env var must not break
   * a CI job).
   */
  public static LogSettings parse(String spec, Level base, StringBuilder problems) {
    Level fallback = base;
    Map<String, Level> areas = new LinkedHashMap<>();
    if (spec != null) {
      for (String part : spec.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        String area = eq < 0 ? null : p.substring(0, eq).trim();
        Level level = Level.parse(eq < 0 ? p : p.substring(eq + 1));
        if (level == null) {
          problems
              .append("RUNNER_LOG: ignored '")
              .append(p)
              .append("' (levels: off, error, warn, info, debug, trace)");
          continue;
        }
        if (area == null) {
          fallback = level;
        } else {
          areas.put(area, level);
        }
      }
    }
    return new LogSettings(fallback, areas);
  }

  /** Same areas, with the default level moved by {@code -v} (more) or {@code -q} (less). */
  public LogSettings withDefault(Level level) {
    return new LogSettings(level, areas);
  }

  public Level levelOf(String area) {
    return areas.getOrDefault(area, defaultLevel);
  }
}
