package dev.runner.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Where a task's tools work: {@code --workspace shared|copy|worktree}. */
public enum WorkspaceMode {
  /** The task's {@code cwd} itself, shared by every task: allowed only with the read-only sandbox. */
  SHARED,
  /** A copy of {@code cwd} in a temporary folder, removed after the task. */
  COPY,
  /** A detached {@code git worktree} at HEAD in a temporary folder, removed after the task. */
  WORKTREE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The default: a worktree inside a git repository, else a copy, so that writing tasks never see each other. */
  public static WorkspaceMode defaultFor(Path cwd) {
    return insideGitRepository(cwd) ? WORKTREE : COPY;
  }

  static boolean insideGitRepository(Path dir) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (isGitEntry(p.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A repository's {@code .git}: a folder with a {@code HEAD}, or a worktree's file pointing at its gitdir. Checked on
   * disk rather than by asking git (a process per task); an empty {@code .git} folder is not a repository, and
   * treating it as one would fail every task at {@code git worktree add}.
   */
  private static boolean isGitEntry(Path git) {
    if (Files.isDirectory(git)) {
      return Files.isRegularFile(git.resolve("HEAD"));
    }
    if (Files.isRegularFile(git)) {
      try (var reader = Files.newBufferedReader(git)) {
        String first = reader.readLine();
        return first != null && first.startsWith("gitdir:");
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        return false;
      }
    }
    return false;
  }
}
