package dev.runner.tools;

import java.util.Objects;

/**
 * One file a patch changed, for the report's {@code file_change} items.
 *
 * @param path the path relative to the workspace (for a move, the new path)
 * @param kind what happened to it
 */
public record FileChange(String path, Kind kind) {
  public FileChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }

  /** The codex {@code file_change} kinds. */
  public enum Kind {
    ADD("add"),
    UPDATE("update"),
    DELETE("delete");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The lower-case spelling used on the wire. */
    public String label() {
      return label;
    }
  }
}
