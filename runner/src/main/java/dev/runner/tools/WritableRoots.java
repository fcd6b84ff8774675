package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the folders that codex's {@code sandbox_workspace_write.writable_roots} and {@code --add-dir} make writable,
 * and turns them into real paths: the sandbox binds real paths (a link swapped in later changes nothing) and
 * apply_patch compares against them.
 */
public final class WritableRoots {
  private WritableRoots() {}

  /**
   * The real paths of {@code roots}, in order, without duplicates.
   *
   * @param roots absolute paths, or paths relative to {@code base}
   * @param base the folder relative roots are resolved against (codex: the working directory for {@code --add-dir},
   *     the config file's folder for a key in a file)
   * @param what how the user set them, for the message ({@code --add-dir}, {@code
   *     sandbox_workspace_write.writable_roots (FILE:LINE)})
   * @throws IllegalArgumentException saying which root is unusable and why: it does not exist, is not a directory, or
   *     is {@code /} (which would make the whole file system writable)
   */
  public static List<Path> resolve(List<String> roots, Path base, String what) {
    List<Path> out = new ArrayList<>();
    for (String root : roots) {
      Path real = real(root, base, what);
      if (!out.contains(real)) {
        out.add(real);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The roots that widen what {@code workspace} allows: those inside the workspace or inside another root are writable
   * already and dropped.
   *
   * @param roots real paths, as {@link #resolve} returns them
   * @param workspace the workspace's real path
   * @throws IllegalArgumentException for a root that contains the workspace: a command could then rename a folder on
   *     the workspace's path and lead apply_patch, which runs outside the sandbox, somewhere else
   */
  public static List<Path> forWorkspace(List<Path> roots, Path workspace) {
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      if (workspace.startsWith(root) && !workspace.equals(root)) {
        throw new IllegalArgumentException("writable root " + root + " contains the workspace " + workspace
            + ": a command could move the workspace's folder and lead apply_patch elsewhere; run in that folder"
            + " instead (-C " + root + "), or list the folders beside the workspace that commands must write");
      }
      boolean covered = root.startsWith(workspace)
          || roots.stream().anyMatch(other -> !other.equals(root) && root.startsWith(other));
      if (!covered) {
        out.add(root);
      }
    }
    return List.copyOf(out);
  }

  private static Path real(String root, Path base, String what) {
    Path path;
    try {
      path = base.resolve(root).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(what + ": '" + root + "' is not a valid path: " + e.getReason());
    }
    if (root.isBlank()) {
      throw new IllegalArgumentException(what + ": an empty path is not a folder; remove it");
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(what + ": '" + root + "' (" + path + ") does not exist; create the folder"
          + " first or remove it from the list");
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(what + ": '" + root + "' (" + path + ") is not a directory; give the folder"
          + " that holds it");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": '" + root + "' cannot be resolved: " + e.getMessage(), e);
    }
    if (real.getNameCount() == 0) {
      throw new IllegalArgumentException(what + ": '" + root + "' is the root folder /, which would make the whole file"
          + " system writable; name the folders commands need, or use -s danger-full-access where CI isolates the"
          + " job");
    }
    return real;
  }
}
