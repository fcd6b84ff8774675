package dev.runner.config;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;

/**
 * The one TOML reader for config files and {@code -c} overrides. Thread-safe once built, so it is shared: the start-up
 * warm-up reads through this very instance, and the run's config then finds its parsers already set up.
 */
public final class Toml {
  public static final TomlMapper MAPPER = new TomlMapper();

  private Toml() {}
}
