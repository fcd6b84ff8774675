package dev.runner.tools;

import dev.runner.files.AtomicFiles;

import dev.runner.tools.PatchParser.PatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link Patch} in two phases: {@link #prepare} computes every new file content in memory
 * (so a hunk that does not match, or a refused path, fails before anything is written), then {@link
 * Prepared#commit()} writes each file atomically, new contents first and deletions last.
 */
final class PatchApplier {
  private final Path root;
  // path → new content, or empty for deleted; later operations see earlier ones
  private final Map<Path, Optional<String>> overlay = new LinkedHashMap<>();
  private final List<FileChange> changes = new ArrayList<>();

  private PatchApplier(Path root) {
    this.root = root;
  }

  /**
   * Checks and computes the whole patch against the files under {@code root}.
   *
   * @throws PatchException naming the file and what did not match
   * @throws WorkspacePaths.PathException for a path outside the workspace
   */
  static Prepared prepare(Path root, Patch patch) {
    PatchApplier applier = new PatchApplier(root);
    for (Patch.Operation op : patch.operations()) {
      applier.apply(op);
    }
    return new Prepared(Map.copyOf(applier.overlay), List.copyOf(applier.changes));
  }

  private void apply(Patch.Operation op) {
    Path path = WorkspacePaths.resolve(root, op.path());
    switch (op) {
      case Patch.AddFile add -> {
        if (Files.isDirectory(path)) {
          throw new PatchException("cannot add '" + add.path() + "': it is a directory");
        }
        overlay.put(path, Optional.of(add.content()));
        changes.add(new FileChange(display(path), FileChange.Kind.ADD));
      }
      case Patch.DeleteFile delete -> {
        read(path, delete.path(), "delete");
        overlay.put(path, Optional.empty());
        changes.add(new FileChange(display(path), FileChange.Kind.DELETE));
      }
      case Patch.UpdateFile update -> {
        String updated = applyHunks(read(path, update.path(), "update"), update);
        if (update.moveTo() != null) {
          Path dest = WorkspacePaths.resolve(root, update.moveTo());
          if (Files.isDirectory(dest)) {
            throw new PatchException("cannot move to '" + update.moveTo() + "': a directory");
          }
          overlay.put(path, Optional.empty());
          overlay.put(dest, Optional.of(updated));
          changes.add(new FileChange(display(dest), FileChange.Kind.UPDATE));
        } else {
          overlay.put(path, Optional.of(updated));
          changes.add(new FileChange(display(path), FileChange.Kind.UPDATE));
        }
      }
    }
  }

  private String applyHunks(String content, Patch.UpdateFile update) {
    List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    int cursor = 0;
    int number = 0;
    for (Patch.Hunk hunk : update.hunks()) {
      number++;
      if (hunk.header() != null) {
        int at = LineMatcher.find(lines, List.of(hunk.header()), cursor, false);
        if (at < 0) {
          throw notFound(update, number, "context line '" + hunk.header() + "'");
        }
        cursor = at + 1;
      }
      List<String> old = hunk.oldLines();
      List<String> replacement = hunk.newLines();
      int at;
      if (old.isEmpty()) {
        at = hunk.header() != null ? cursor : lines.size();
      } else {
        at = LineMatcher.find(lines, old, cursor, hunk.endOfFile());
        if (at < 0 && old.get(old.size() - 1).isEmpty()) {
          // a trailing blank context line the file does not have: retry without it
          old = old.subList(0, old.size() - 1);
          if (!replacement.isEmpty() && replacement.get(replacement.size() - 1).isEmpty()) {
            replacement = replacement.subList(0, replacement.size() - 1);
          }
          at = LineMatcher.find(lines, old, cursor, hunk.endOfFile());
        }
        if (at < 0) {
          throw notFound(update, number, "lines\n" + String.join("\n", hunk.oldLines()));
        }
      }
      lines.subList(at, at + old.size()).clear();
      lines.addAll(at, replacement);
      cursor = at + replacement.size();
    }
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  private static PatchException notFound(Patch.UpdateFile update, int hunk, String what) {
    return new PatchException(
        "patch does not apply to '"
            + update.path()
            + "': hunk "
            + hunk
            + " could not find the expected "
            + what);
  }

  private String read(Path path, String given, String action) {
    Optional<String> pending = overlay.get(path);
    if (pending != null) {
      return pending.orElseThrow(
          () -> new PatchException("cannot " + action + " '" + given + "': it was deleted"));
    }
    if (!Files.isRegularFile(path)) {
      throw new PatchException("cannot " + action + " '" + given + "': no such file");
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PatchException("cannot read '" + given + "': " + e.getMessage());
    }
  }

  private String display(Path path) {
    return WorkspacePaths.resolve(root, ".").relativize(path).toString();
  }

  /** A checked patch, ready to write. */
  record Prepared(Map<Path, Optional<String>> contents, List<FileChange> changes) {
    /**
     * Writes the files: new contents first, deletions last, so an I/O failure midway never loses a
     * file that was being moved.
     */
    void commit() throws IOException {
      for (Map.Entry<Path, Optional<String>> e : contents.entrySet()) {
        if (e.getValue().isPresent()) {
          AtomicFiles.write(e.getKey(), e.getValue().get());
        }
      }
      for (Map.Entry<Path, Optional<String>> e : contents.entrySet()) {
        if (e.getValue().isEmpty()) {
          Files.deleteIfExists(e.getKey());
        }
      }
    }
  }
}
