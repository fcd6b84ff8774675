package dev.runner.config;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may ask for in {@code --transport}, {@code -c transport=...} or the {@code
 * transport} config key. {@link #AUTO} defers to the next level (see {@link TransportChoice}).
 */
public enum TransportMode {
  AUTO,
  WEBSOCKET,
  HTTP;

  /** The lower-case spelling used in config files and flags. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code auto}, {@code websocket} or {@code http} (any case); empty otherwise. */
  public static Optional<TransportMode> parse(String text) {
    for (TransportMode m : values()) {
      if (m.name().equalsIgnoreCase(text)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return label();
  }
}
