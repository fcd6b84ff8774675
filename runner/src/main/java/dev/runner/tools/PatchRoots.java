package dev.runner.tools;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which writable root a patch edits when the run has roots besides the workspace ({@code writable_roots}, {@code
 * --add-dir}), and its paths relative to that root. A path names another root when it is absolute and inside it, or
 * relative and climbing out of the workspace ({@code ../shared/x}) into it; the climb is read by name (codex reads it
 * so too), and {@link WorkspacePaths} then resolves the rest inside that root alone, so no link leads out of it. One
 * patch edits one root: its changes are checked and rolled back together through one open directory.
 */
final class PatchRoots {
  private PatchRoots() {}

  /**
   * A patch to apply in {@code root}.
   *
   * @param root the real path of the root the patch edits
   * @param patch the patch with its paths relative to {@code root}
   * @param workspace true when the root is the workspace (whose paths are shown as given)
   */
  record Target(Path root, Patch patch, boolean workspace) {}

  /**
   * Where {@code patch} applies.
   *
   * @param workspace the workspace's real path
   * @param roots real paths of the other writable roots; none leaves the patch to the workspace as it is
   * @throws WorkspacePaths.PathException for an absolute path outside every root, or a patch that spans two roots
   */
  static Target choose(Path workspace, List<Path> roots, Patch patch) {
    if (roots.isEmpty()) {
      return new Target(workspace, patch, true);
    }
    Path chosen = null;
    String first = null;
    List<Patch.Operation> rewritten = new ArrayList<>();
    for (Patch.Operation op : patch.operations()) {
      List<String> paths = new ArrayList<>(List.of(op.path()));
      if (op instanceof Patch.UpdateFile u && u.moveTo() != null) {
        paths.add(u.moveTo());
      }
      List<String> relative = new ArrayList<>();
      for (String given : paths) {
        Located at = locate(workspace, roots, given);
        if (chosen == null) {
          chosen = at.root();
          first = given;
        } else if (!chosen.equals(at.root())) {
          throw new WorkspacePaths.PathException("apply_patch edits one writable root per call, but '" + first
              + "' is in " + chosen + " and '" + given + "' in " + at.root() + ": send one patch for each");
        }
        relative.add(at.relative());
      }
      rewritten.add(switch (op) {
        case Patch.AddFile a -> new Patch.AddFile(relative.get(0), a.content());
        case Patch.DeleteFile d -> new Patch.DeleteFile(relative.get(0));
        case Patch.UpdateFile u -> new Patch.UpdateFile(relative.get(0), u.moveTo() == null ? null : relative.get(1),
            u.hunks());
      });
    }
    Path root = chosen == null ? workspace : chosen;
    return new Target(root, new Patch(rewritten), root.equals(workspace));
  }

  private record Located(Path root, String relative) {}

  private static Located locate(Path workspace, List<Path> roots, String given) {
    Path path;
    try {
      path = Path.of(given);
    } catch (InvalidPathException e) {
      // WorkspacePaths says what is wrong with it
      return new Located(workspace, given);
    }
    if (path.isAbsolute()) {
      Path normal = path.normalize();
      Path root = deepest(normal, workspace, roots);
      if (root == null) {
        throw new WorkspacePaths.PathException("absolute path '" + given + "' refused: it is outside the workspace ("
            + workspace + ") and the writable roots (" + String.join(", ", roots.stream().map(Path::toString)
                .toList())
            + ")");
      }
      return new Located(root, relative(root, normal));
    }
    if (given.isBlank() || !path.normalize().startsWith("..")) {
      return new Located(workspace, given);
    }
    Path normal = workspace.resolve(path).normalize();
    Path root = deepest(normal, null, roots);
    // outside every root: WorkspacePaths refuses it as outside the workspace
    return root == null ? new Located(workspace, given) : new Located(root, relative(root, normal));
  }

  private static String relative(Path root, Path normal) {
    String rel = root.relativize(normal).toString();
    return rel.isEmpty() ? "." : rel;
  }

  /** The innermost of {@code workspace} (unless null) and {@code roots} that holds {@code path}, or null. */
  private static Path deepest(Path path, Path workspace, List<Path> roots) {
    Path best = workspace != null && path.startsWith(workspace) ? workspace : null;
    for (Path root : roots) {
      if (path.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
        best = root;
      }
    }
    return best;
  }
}
