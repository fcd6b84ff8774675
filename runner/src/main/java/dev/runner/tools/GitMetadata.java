package dev.runner.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The git metadata of a workspace that stays read-only under workspace-write: a hook or a {@code core.fsmonitor}
 * planted there would run in a later CI step, outside any sandbox. That is the workspace's own {@code .git} (a folder,
 * or a worktree's or submodule's file, which must not be pointed elsewhere) and, when that file points into the
 * workspace, the folder it names. Metadata outside the workspace (a workspace that is a subfolder of a checkout, a
 * worktree's folder in the main checkout) is read-only already.
 */
final class GitMetadata {
  private GitMetadata() {}

  /** The real paths to bind read-only over the writable workspace {@code root} (a real path). */
  static List<Path> paths(Path root) {
    return paths(root, List.of(root));
  }

  /**
   * The real paths to bind read-only over the writable {@code root} (a real path), when the sandbox also lets {@code
   * writable} be written: a worktree's gitdir in another writable root (its main checkout given as {@code --add-dir})
   * must not become writable through it.
   */
  static List<Path> paths(Path root, List<Path> writable) {
    Path git = root.resolve(".git");
    if (!Files.exists(git, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(git)) {
      // a link is followed by the mount: it is bound where it leads, which must then lie inside the workspace
      return Files.isSymbolicLink(git) ? inside(writable, git) : List.of();
    }
    List<Path> paths = new ArrayList<>(List.of(git));
    if (Files.isRegularFile(git, LinkOption.NOFOLLOW_LINKS)) {
      try {
        for (String line : Files.readAllLines(git, StandardCharsets.UTF_8)) {
          if (line.startsWith("gitdir:")) {
            paths.addAll(inside(writable, root.resolve(line.substring("gitdir:".length()).strip())));
          }
        }
      } catch (IOException | RuntimeException e) {
        // unreadable or not a path: git cannot use it either
      }
    }
    return List.copyOf(paths);
  }

  private static List<Path> inside(List<Path> roots, Path path) {
    try {
      Path real = path.toRealPath();
      return roots.stream().anyMatch(r -> real.startsWith(r) && !real.equals(r)) ? List.of(real) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
