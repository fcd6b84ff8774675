package dev.runner.batch;

import dev.runner.files.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The folder one task works in ({@link WorkspaceMode}), what it changed there, and its removal. A worktree's patch is
 * relative to the repository's root, a copy's to the task's {@code cwd}; both include new files ({@code git apply}
 * takes them). Uncommitted changes in the main checkout are not in a worktree: it starts at HEAD.
 */
final class TaskWorkspace implements AutoCloseable {
  private final WorkspaceMode mode;
  private final Path dir;
  private final Path temp;
  private final Path repository;
  private final Git git;
  private final Path tree;
  private final Object repositoryLock;
  /** A tool has been called: see {@link #beforeTools}. */
  private boolean touched;

  private TaskWorkspace(WorkspaceMode mode, Path dir, Path temp, Path repository, Git git, Path tree,
      Object repositoryLock) {
    this.mode = mode;
    this.dir = dir;
    this.temp = temp;
    this.repository = repository;
    this.git = git;
    this.tree = tree;
    this.repositoryLock = repositoryLock;
  }

  /** Makes the workspace for a task that works in {@code cwd}, in the run's {@code scratch} folder. */
  static TaskWorkspace create(WorkspaceMode mode, Path cwd, ScratchSpace scratch, String id) throws IOException {
    if (mode == WorkspaceMode.SHARED) {
      return new TaskWorkspace(mode, cwd, null, null, null, null, null);
    }
    Path temp = Files.createTempDirectory(scratch.dir(), id + "-");
    try {
      if (mode == WorkspaceMode.WORKTREE) {
        Git git = new Git(Map.of());
        Path root = Path.of(git.text(cwd, "rev-parse", "--show-toplevel")).toRealPath();
        Path relative = root.relativize(cwd.toRealPath());
        // named after the task: git names its entry under .git/worktrees after the folder, and adds that pick the
        // same name at once trip over each other's half-made entries ("failed to read .../commondir"); adds of one
        // repository take turns, so that two never choose a name at once
        Path tree = temp.resolve(id);
        Object lock = scratch.repositoryLock(root);
        synchronized (lock) {
          scratch.addingWorktreeOf(root);
          git.run(root, "worktree", "add", "--detach", "--quiet", tree.toString(), "HEAD");
        }
        return new TaskWorkspace(mode, tree.resolve(relative.toString()).normalize(), temp, root, git, tree, lock);
      }
      Path copy = temp.resolve("copy");
      copyTree(cwd, copy);
      // the baseline lives beside the copy, not in it: the task sees exactly the files of cwd
      Git git = new Git(Map.of("GIT_DIR", temp.resolve("baseline.git").toString(), "GIT_WORK_TREE",
          copy.toString()));
      return new TaskWorkspace(mode, copy, temp, null, git, null, null);
    } catch (IOException | RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  /**
   * Called before each tool call, before the tool runs: only tools change a workspace, so a copy's git baseline is
   * taken at the first one, and a task that calls no tool runs no git at all (5 processes fewer per task).
   */
  synchronized void beforeTools() throws IOException {
    if (touched) {
      return;
    }
    if (mode == WorkspaceMode.COPY) {
      git.run(dir, "init", "--quiet");
      git.run(dir, "add", "--all", "--force");
      git.run(dir, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", "baseline");
    }
    touched = true;
  }

  /** Where the task runs. */
  Path dir() {
    return dir;
  }

  WorkspaceMode mode() {
    return mode;
  }

  /**
   * The task's changes as a binary-safe git patch, new files included, or empty when it changed nothing (always
   * empty for a shared workspace, whose changes are not told apart from other tasks').
   */
  synchronized byte[] changes() throws IOException {
    if (mode == WorkspaceMode.SHARED || !touched) {
      return new byte[0];
    }
    Path top = mode == WorkspaceMode.WORKTREE ? tree : dir;
    if (mode == WorkspaceMode.WORKTREE) {
      git.run(top, "add", "--all");
    } else {
      git.run(top, "add", "--all", "--force");
    }
    return git.run(top, "diff", "--cached", "--binary", "HEAD");
  }

  /** Removes the worktree (from the repository's list too) or the copy. Never throws. */
  @Override
  public void close() {
    if (temp == null) {
      return;
    }
    if (mode != WorkspaceMode.WORKTREE) {
      deleteTree(temp);
      return;
    }
    try {
      removeWorktree();
    } finally {
      deleteTree(temp);
    }
  }

  private void removeWorktree() {
    // no lock here: git protects an entry being added from a concurrent prune ("locked: initializing"), and a
    // remove touches only its own entry
    try {
      git.run(repository, "worktree", "remove", "--force", tree.toString());
      return;
    } catch (IOException e) {
      // removed here and pruned from the repository's list
    }
    deleteTree(tree);
    synchronized (repositoryLock) {
      try {
        git.run(repository, "worktree", "prune");
      } catch (IOException e) {
        // a stale entry only costs a line in `git worktree list`; `git worktree prune` drops it
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES,
            LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary folder is harmless; the OS's tmp cleaning removes it
    }
  }
}
