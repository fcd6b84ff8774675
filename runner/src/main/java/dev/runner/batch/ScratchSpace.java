package dev.runner.batch;

import dev.runner.files.Git;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One batch run's scratch folder (its tasks' copies and worktrees), under one parent every run knows, so that a run
 * killed with {@code kill -9} (whose {@code finally} blocks never ran) is cleaned up by the next run: its folder is
 * deleted and the git worktrees it registered are pruned from their repositories.
 *
 * <p>A folder is named {@code <pid>-<random>} and holds a {@code lock} file its run keeps locked. Another run takes it
 * for stale only when both its pid is gone and its lock can be taken: the OS drops a dead process's locks, the pid
 * check covers the moment between making the folder and locking it, and the lock covers a live run in another PID
 * namespace sharing {@code /tmp}. The repositories a run added worktrees to are listed in its {@code repositories}
 * file before each {@code git worktree add}, so the cleaner knows where to prune.
 */
final class ScratchSpace implements AutoCloseable {
  static final String LOCK = "lock";
  static final String REPOSITORIES = "repositories";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;
  private final Set<Path> repositories = new LinkedHashSet<>();
  private final Map<Path, Object> repositoryLocks = new java.util.concurrent.ConcurrentHashMap<>();

  private ScratchSpace(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The parent every run uses: {@code runner-batch-<user>} in the JVM's temporary folder. */
  static Path defaultParent() {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "runner-batch-" + user);
  }

  /** Cleans what dead runs left under {@code parent}, then makes and locks this run's folder there. */
  static ScratchSpace open(Path parent) throws IOException {
    Files.createDirectories(parent);
    cleanStale(parent);
    Path dir = Files.createTempDirectory(parent, ProcessHandle.current().pid() + "-");
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("the lock of the new scratch folder " + dir + " is held by another process");
      }
      return new ScratchSpace(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      TaskWorkspace.deleteTree(dir);
      throw e;
    }
  }

  /**
   * Deletes the folders under {@code parent} whose runs are dead, pruning the worktrees they registered; returns how
   * many it deleted. Never throws for one folder it cannot clean: that one is left for a later run.
   */
  static int cleanStale(Path parent) {
    List<Path> folders;
    try (Stream<Path> list = Files.list(parent)) {
      folders = list.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return 0;
    }
    int cleaned = 0;
    for (Path folder : folders) {
      if (ownerAlive(folder)) {
        continue;
      }
      try (FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.WRITE)) {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          continue;
        }
        List<Path> repos = readRepositories(folder);
        TaskWorkspace.deleteTree(folder);
        prune(repos);
        cleaned++;
      } catch (OverlappingFileLockException e) {
        // held by this JVM: a live run
      } catch (java.nio.file.NoSuchFileException e) {
        // a folder with no lock file was never a run's (or its run died before locking): made by the pid check alone
        TaskWorkspace.deleteTree(folder);
        cleaned++;
      } catch (IOException e) {
        // left for a later run
      }
    }
    return cleaned;
  }

  private static boolean ownerAlive(Path folder) {
    String name = folder.getFileName().toString();
    int dash = name.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not a run's folder: not ours to delete
    }
  }

  private static List<Path> readRepositories(Path folder) {
    try {
      return Files.readAllLines(folder.resolve(REPOSITORIES), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).map(Path::of).distinct().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Drops the repositories' entries for worktrees whose folders are gone. */
  private static void prune(List<Path> repos) {
    for (Path repo : repos) {
      if (Files.isDirectory(repo)) {
        try {
          new Git(Map.of()).run(repo, "worktree", "prune");
        } catch (IOException e) {
          // a stale entry only costs a line in `git worktree list` until the next prune
        }
      }
    }
  }

  /** This run's folder. */
  Path dir() {
    return dir;
  }

  /** What this run's tasks hold while they run a {@code git worktree} command in {@code repository}. */
  Object repositoryLock(Path repository) {
    return repositoryLocks.computeIfAbsent(repository, r -> new Object());
  }

  /** Notes that a worktree of {@code repository} is about to be added here; synced before it returns. */
  synchronized void addingWorktreeOf(Path repository) throws IOException {
    if (repositories.add(repository)) {
      Files.writeString(dir.resolve(REPOSITORIES), repository + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }
  }

  /** Deletes this run's folder and prunes its repositories' worktree lists. */
  @Override
  public void close() {
    List<Path> repos;
    synchronized (this) {
      repos = new ArrayList<>(repositories);
    }
    TaskWorkspace.deleteTree(dir);
    prune(repos);
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the folder is gone; the lock goes with the process
    }
  }
}
