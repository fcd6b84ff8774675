package dev.runner.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a prepared patch all or nothing: new contents first, deletions last, each step recorded
 * with what it replaced; when a step fails, the steps already done are undone in reverse (old
 * contents and permissions written back, added files and created directories removed) and the
 * error names the file that failed and every file touched.
 */
final class PatchCommit {
  /** One step done, and how to undo it. */
  private sealed interface Step permits Written, Deleted, CreatedDirectory {}

  /** A file written; {@code before} is empty when the patch added it. */
  private record Written(PatchPath path, Optional<PatchFiles.Content> before) implements Step {}

  private record Deleted(PatchPath path, PatchFiles.Content before) implements Step {}

  private record CreatedDirectory(PatchPath path) implements Step {}

  private final PatchFiles files;
  private final List<Step> done = new ArrayList<>();

  private PatchCommit(PatchFiles files) {
    this.files = files;
  }

  /**
   * Writes {@code contents}: a present value is the file's new content, an empty one deletes it.
   *
   * @throws CommitException when a step failed; the workspace is then as before, except for files
   *     the exception says could not be restored
   */
  static void apply(PatchFiles files, Map<PatchPath, Optional<String>> contents) {
    new PatchCommit(files).run(contents);
  }

  private void run(Map<PatchPath, Optional<String>> contents) {
    PatchPath current = null;
    String action = "writing";
    try {
      for (Map.Entry<PatchPath, Optional<String>> e : contents.entrySet()) {
        if (e.getValue().isPresent()) {
          current = e.getKey();
          write(current, e.getValue().get());
        }
      }
      for (Map.Entry<PatchPath, Optional<String>> e : contents.entrySet()) {
        if (e.getValue().isEmpty()) {
          current = e.getKey();
          action = "deleting";
          delete(current);
        }
      }
    } catch (IOException e) {
      throw new CommitException(
          action + " '" + current + "' failed: " + PatchFiles.reason(e) + ". " + rollBack());
    }
  }

  private void write(PatchPath path, String content) throws IOException {
    // what is there now, not what the patch was computed from: that is what must come back
    Optional<PatchFiles.Content> before = files.read(path);
    List<PatchPath> created = new ArrayList<>();
    try {
      files.write(
          path,
          content.getBytes(StandardCharsets.UTF_8),
          before.map(PatchFiles.Content::permissions).orElse(PatchFiles.NEW_FILE),
          created);
    } finally {
      created.forEach(d -> done.add(new CreatedDirectory(d)));
    }
    done.add(new Written(path, before));
  }

  private void delete(PatchPath path) throws IOException {
    Optional<PatchFiles.Content> before = files.read(path);
    if (before.isEmpty()) {
      return; // already gone: nothing to delete or to restore
    }
    files.delete(path);
    done.add(new Deleted(path, before.get()));
  }

  /** Undoes {@link #done} in reverse and says what it did for the model. */
  private String rollBack() {
    List<String> restored = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int i = done.size() - 1; i >= 0; i--) {
      Step step = done.get(i);
      try {
        switch (step) {
          case Written w when w.before().isPresent() -> {
            restore(w.path(), w.before().get());
            restored.add(w.path().toString());
          }
          case Written w -> {
            files.delete(w.path());
            removed.add(w.path().toString());
          }
          case Deleted d -> {
            restore(d.path(), d.before());
            restored.add(d.path().toString());
          }
          case CreatedDirectory c -> {
            files.deleteDirectory(c.path());
            removed.add(c.path() + "/");
          }
        }
      } catch (IOException e) {
        failed.add(describe(step) + " (" + PatchFiles.reason(e) + ")");
      }
    }
    if (done.isEmpty()) {
      return "No file was changed.";
    }
    StringBuilder text = new StringBuilder("The patch was rolled back");
    if (!restored.isEmpty()) {
      text.append("; restored: ").append(String.join(", ", restored));
    }
    if (!removed.isEmpty()) {
      text.append("; removed: ").append(String.join(", ", removed));
    }
    text.append('.');
    if (failed.isEmpty()) {
      text.append(" No file of this patch remains changed.");
    } else {
      text.append(" Could not undo: ").append(String.join(", ", failed)).append(
          ". Check these files before patching again.");
    }
    return text.toString();
  }

  private void restore(PatchPath path, PatchFiles.Content before) throws IOException {
    files.write(path, before.bytes(), before.permissions(), new ArrayList<>());
  }

  private static String describe(Step step) {
    return switch (step) {
      case Written w when w.before().isPresent() -> "restore " + w.path();
      case Written w -> "remove the added " + w.path();
      case Deleted d -> "restore the deleted " + d.path();
      case CreatedDirectory c -> "remove the created directory " + c.path() + "/";
    };
  }

  /** A patch that failed while being written; the message goes back to the model. */
  static final class CommitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommitException(String message) {
      super(message, null, false, false);
    }
  }
}
