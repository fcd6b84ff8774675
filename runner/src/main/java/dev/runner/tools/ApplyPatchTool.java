package dev.runner.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code apply_patch} tool: edits workspace files with a codex-format patch (see {@link
 * PatchParser}). The whole patch is checked before any file is written, so a patch that does not
 * apply changes nothing, and written all or nothing, so a write that fails midway is rolled back.
 * Paths must stay inside the workspace, or one writable root of {@link ToolContext#writableRoots()} (see {@link
 * PatchRoots}), also at the moment of writing (no link is followed then, see {@link PatchFiles}), and never name git
 * metadata, in every sandbox mode; under {@code
 * read-only} every patch is refused. It runs in the runner's own process, outside the command
 * sandbox, so it runs alone among a turn's tool calls ({@link #runsAlone()}). Also accepts the raw
 * patch text instead of a JSON object (the freeform tool form).
 */
public final class ApplyPatchTool implements Tool {
  @Override
  public String name() {
    return "apply_patch";
  }

  @Override
  public ObjectNode definition() {
    return Schemas.function(
        name(),
        "Edits files with a patch. Format:\n*** Begin Patch\n*** Add File: path\n+line\n"
            + "*** Delete File: path\n*** Update File: path\n*** Move to: new/path (optional)\n"
            + "@@ optional line locating the hunk\n context line\n-removed line\n+added line\n"
            + "*** End of File (optional, when the hunk ends the file)\n*** End Patch\n"
            + "Paths are relative to the workspace; .git is refused. Give about 3 lines of context"
            + " around changes.",
        Schemas.object("input", Schemas.type("string", "The whole patch text.")));
  }

  /** A shell command of the same turn must not change the tree while a patch walks it. */
  @Override
  public boolean runsAlone() {
    return true;
  }

  @Override
  public ToolResult run(ToolCall call, ToolContext context) {
    long start = System.nanoTime();
    String text;
    if (call.arguments().strip().startsWith("*** Begin Patch")) {
      text = call.arguments();
    } else {
      try {
        text = Arguments.parse(call).requiredString("input");
      } catch (Arguments.ArgumentException e) {
        return ToolResult.rejected(call, e.getMessage(), since(start));
      }
    }
    if (context.sandbox() == SandboxMode.READ_ONLY) {
      return failure(
          call, "apply_patch refused: the sandbox is read-only, so no file may be written", start);
    }
    Patch patch;
    try {
      patch = PatchParser.parse(text);
    } catch (PatchParser.PatchException e) {
      return failure(call, e.getMessage(), start);
    }
    PatchRoots.Target target;
    try {
      target = PatchRoots.choose(context.workspace().toRealPath(), context.writableRoots(), patch);
    } catch (WorkspacePaths.PathException e) {
      return failure(call, e.getMessage() + "\nNo file was changed.", start);
    } catch (IOException e) {
      return failure(call, "apply_patch cannot open the workspace " + context.workspace() + ": "
          + PatchFiles.reason(e) + "\nNo file was changed.", start);
    }
    PatchApplier.Prepared prepared;
    try (PatchFiles files = PatchFiles.open(target.root())) {
      try {
        prepared = PatchApplier.prepare(files, target.patch());
      } catch (PatchParser.PatchException | WorkspacePaths.PathException e) {
        return failure(call, e.getMessage() + "\nNo file was changed.", start);
      }
      try {
        prepared.commit(files);
      } catch (PatchCommit.CommitException e) {
        return failure(call, e.getMessage(), start);
      }
    } catch (IOException e) {
      return failure(
          call,
          "apply_patch cannot open "
              + (target.workspace() ? "the workspace " + context.workspace() : target.root())
              + ": "
              + PatchFiles.reason(e)
              + "\nNo file was changed.",
          start);
    }
    // paths in another root are shown whole, so neither the model nor the log takes them for workspace paths
    List<FileChange> changes = target.workspace()
        ? prepared.changes()
        : prepared.changes().stream()
            .map(c -> new FileChange(target.root().resolve(c.path()).toString(), c.kind()))
            .toList();
    String summary = changes.stream()
        .map(c -> letter(c.kind()) + " " + c.path())
        .collect(Collectors.joining("\n"));
    return new ToolResult(
        call.callId(),
        "Success. Updated the following files:\n" + summary + "\n",
        true,
        since(start),
        new ToolResult.PatchApplied(changes));
  }

  private static String letter(FileChange.Kind kind) {
    return switch (kind) {
      case ADD -> "A";
      case UPDATE -> "M";
      case DELETE -> "D";
    };
  }

  private static ToolResult failure(ToolCall call, String message, long start) {
    return new ToolResult(
        call.callId(), message, false, since(start), new ToolResult.PatchApplied(List.of()));
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
