package dev.runner.tools;

import java.util.List;

/**
 * A parsed codex-format patch: a list of file operations, each on a path relative to the
 * workspace. Produced by {@link PatchParser}, applied by {@link PatchApplier}.
 */
record Patch(List<Operation> operations) {
  Patch {
    operations = List.copyOf(operations);
  }

  /** One file operation. */
  sealed interface Operation permits AddFile, DeleteFile, UpdateFile {
    String path();
  }

  /** {@code *** Add File:} with the whole new content. */
  record AddFile(String path, String content) implements Operation {}

  /** {@code *** Delete File:}. */
  record DeleteFile(String path) implements Operation {}

  /**
   * {@code *** Update File:} with its hunks.
   *
   * @param moveTo the {@code *** Move to:} path, or {@code null}
   */
  record UpdateFile(String path, String moveTo, List<Hunk> hunks) implements Operation {
    UpdateFile {
      hunks = List.copyOf(hunks);
    }
  }

  /**
   * One {@code @@} hunk.
   *
   * @param header the text after {@code @@} locating the hunk (e.g. a function signature), or
   *     {@code null}
   * @param oldLines the context and removed lines, in order, as they must appear in the file
   * @param newLines the context and added lines that replace them
   * @param endOfFile true when marked {@code *** End of File}: the old lines end the file
   */
  record Hunk(String header, List<String> oldLines, List<String> newLines, boolean endOfFile) {
    Hunk {
      oldLines = List.copyOf(oldLines);
      newLines = List.copyOf(newLines);
    }
  }
}
