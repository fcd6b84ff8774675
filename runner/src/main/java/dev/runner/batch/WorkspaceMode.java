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
      if (Files.exists(p.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }
}
