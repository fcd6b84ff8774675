package dev.runner.logging;

import java.util.Locale;

/** Log levels, most severe first. */
public enum Level {
  OFF,
  ERROR,
  WARN,
  INFO,
  DEBUG,
  TRACE;

  /** Parses a level name case-insensitively; {@code null} when it is not one. */
  static Level parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
