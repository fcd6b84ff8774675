package dev.runner.tools;

import dev.runner.tools.PatchParser.PatchException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link Patch} in two phases: {@link #prepare} computes every new file content in memory
 * (so a hunk that does not match, or a refused path, fails before anything is written), then {@link
 * Prepared#commit} writes the files all or nothing through {@link PatchCommit}. Both phases go
 * through {@link PatchFiles}, which follows no link: what prepare resolved is written by walking
 * the same names again, so a link planted in between makes the write fail, never escape.
 */
final class PatchApplier {
  private final PatchFiles files;
  // path → new content, or empty for deleted; later operations see earlier ones
  private final Map<PatchPath, Optional<String>> overlay = new LinkedHashMap<>();
  private final List<FileChange> changes = new ArrayList<>();

  private PatchApplier(PatchFiles files) {
    this.files = files;
  }

  /**
   * Checks and computes the whole patch against the files of the workspace {@code files} opened.
   *
   * @throws PatchException naming the file and what did not match
   * @throws WorkspacePaths.PathException for a path outside the workspace or in git metadata
   */
  static Prepared prepare(PatchFiles files, Patch patch) {
    PatchApplier applier = new PatchApplier(files);
    for (Patch.Operation op : patch.operations()) {
      applier.apply(op);
    }
    return new Prepared(
        Collections.unmodifiableMap(new LinkedHashMap<>(applier.overlay)),
        List.copyOf(applier.changes));
  }

  private void apply(Patch.Operation op) {
    switch (op) {
      case Patch.AddFile add -> {
        PatchPath path = WorkspacePaths.resolve(files, add.path(), true);
        if (kind(path, add.path()) == PatchFiles.Kind.DIRECTORY) {
          throw new PatchException("cannot add '" + add.path() + "': it is a directory");
        }
        overlay.put(path, Optional.of(add.content()));
        changes.add(new FileChange(path.toString(), FileChange.Kind.ADD));
      }
      case Patch.DeleteFile delete -> {
        PatchPath path = WorkspacePaths.resolve(files, delete.path(), false);
        refuseLink(path, delete.path(), "delete");
        read(path, delete.path(), "delete");
        overlay.put(path, Optional.empty());
        changes.add(new FileChange(path.toString(), FileChange.Kind.DELETE));
      }
      case Patch.UpdateFile update -> {
        PatchPath path = WorkspacePaths.resolve(files, update.path(), true);
        String updated = applyHunks(read(path, update.path(), "update"), update);
        if (update.moveTo() != null) {
          PatchPath dest = WorkspacePaths.resolve(files, update.moveTo(), true);
          if (kind(dest, update.moveTo()) == PatchFiles.Kind.DIRECTORY) {
            throw new PatchException("cannot move to '" + update.moveTo() + "': a directory");
          }
          refuseLink(WorkspacePaths.resolve(files, update.path(), false), update.path(), "move");
          overlay.put(path, Optional.empty());
          overlay.put(dest, Optional.of(updated));
          changes.add(new FileChange(dest.toString(), FileChange.Kind.UPDATE));
        } else {
          overlay.put(path, Optional.of(updated));
          changes.add(new FileChange(path.toString(), FileChange.Kind.UPDATE));
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

  private PatchFiles.Kind kind(PatchPath path, String given) {
    if (overlay.containsKey(path)) {
      return overlay.get(path).isPresent() ? PatchFiles.Kind.FILE : PatchFiles.Kind.MISSING;
    }
    try {
      return files.kind(path.directories(), path.name());
    } catch (IOException e) {
      throw new PatchException("cannot use '" + given + "': " + PatchFiles.reason(e));
    }
  }

  /**
   * Deleting or moving a link is refused: restoring one on rollback would need a path-based
   * symlink(2), the kind of call this class avoids.
   */
  private void refuseLink(PatchPath path, String given, String action) {
    if (!overlay.containsKey(path) && kind(path, given) == PatchFiles.Kind.LINK) {
      throw new PatchException(
          "cannot " + action + " '" + given + "': it is a symbolic link; use the shell tool for links");
    }
  }

  private String read(PatchPath path, String given, String action) {
    Optional<String> pending = overlay.get(path);
    if (pending != null) {
      return pending.orElseThrow(
          () -> new PatchException("cannot " + action + " '" + given + "': it was deleted"));
    }
    Optional<PatchFiles.Content> content;
    try {
      content = files.read(path);
    } catch (IOException e) {
      throw new PatchException("cannot " + action + " '" + given + "': " + PatchFiles.reason(e));
    }
    if (content.isEmpty()) {
      throw new PatchException("cannot " + action + " '" + given + "': no such file");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(content.get().bytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PatchException("cannot " + action + " '" + given + "': it is not UTF-8 text");
    }
  }

  /** A checked patch, ready to write. */
  record Prepared(Map<PatchPath, Optional<String>> contents, List<FileChange> changes) {
    /**
     * Writes the files all or nothing; see {@link PatchCommit}.
     *
     * @throws PatchCommit.CommitException naming the file that failed and what was rolled back
     */
    void commit(PatchFiles files) {
      PatchCommit.apply(files, contents);
    }
  }
}
