package dev.runner.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a resolved value came from. {@link #toString()} is the form users see: {@code default},
 * {@code built-in}, {@code FILE:LINE}, {@code profile NAME (FILE:LINE)}, {@code -c} or {@code
 * flag}. A line of 0 means the key's line could not be found and only the file is shown.
 */
public sealed interface Provenance {
  /** The documented default; nothing set it. */
  Provenance DEFAULT = new Default();

  /** A field of a built-in provider ({@code openai}, {@code emulator}). */
  Provenance BUILT_IN = new BuiltIn();

  /** The documented default. */
  record Default() implements Provenance {
    @Override
    public String toString() {
      return "default";
    }
  }

  /** Set by the runner's built-in provider table. */
  record BuiltIn() implements Provenance {
    @Override
    public String toString() {
      return "built-in";
    }
  }

  /** A key in a config file, at a 1-based line (0 when unknown). */
  record InFile(Path file, int line) implements Provenance {
    @Override
    public String toString() {
      return line > 0 ? file + ":" + line : file.toString();
    }
  }

  /** A key in {@code [profiles.NAME]} of a config file. */
  record InProfile(String name, Path file, int line) implements Provenance {
    @Override
    public String toString() {
      return "profile " + name + " (" + new InFile(file, line) + ")";
    }
  }

  /** A {@code -c key=value} override; {@code key} is the dotted path it set. */
  record ConfigOverride(List<String> key) implements Provenance {
    public ConfigOverride {
      key = List.copyOf(key);
    }

    @Override
    public String toString() {
      return "-c";
    }
  }

  /** A command-line flag such as {@code -m} or {@code --transport}. */
  record Flag(String option) implements Provenance {
    @Override
    public String toString() {
      return "flag";
    }
  }
}
