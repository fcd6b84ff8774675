package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.files.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * codex's {@code --worktree}: the run works in a new git worktree of the repository's HEAD, detached, so that its
 * changes stay out of the caller's checkout. The worktree is kept after the run for the caller to inspect or merge.
 */
final class Worktree {
  private Worktree() {}

  /**
   * Adds a detached worktree of {@code workspace}'s repository at {@code dir} and returns the folder in it that
   * corresponds to {@code workspace}.
   */
  static Path create(Path workspace, Path dir) {
    String top = git(workspace, "rev-parse", "--show-toplevel").strip();
    Path relative = Path.of(top).relativize(workspace.toAbsolutePath().normalize());
    try {
      Files.createDirectories(dir.getParent());
    } catch (IOException e) {
      throw RunnerException.usage("--worktree: cannot create " + dir.getParent() + ": " + e.getMessage(),
          "set RUNNER_HOME to a writable folder");
    }
    git(workspace, "worktree", "add", "--detach", dir.toString(), "HEAD");
    return dir.resolve(relative.toString());
  }

  private static String git(Path workspace, String... args) {
    try {
      return new Git(Map.of()).text(workspace, args);
    } catch (IOException e) {
      throw RunnerException.usage("--worktree: " + e.getMessage(),
          "run inside a git repository with at least one commit");
    }
  }

}
