package dev.runner.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The bubblewrap command line that runs a command (the command host) in the sandbox. Commands get: the whole file
 * system read-only; private {@code /tmp}, {@code /run} (and {@code /var/run} where it is not a link to it), {@code
 * /dev} and {@code /proc}; the workspace, writable only under {@link SandboxMode#WORKSPACE_WRITE} and then with its
 * {@code .git} read-only, as the extra writable roots of that mode; hidden paths empty; the runner's own folders writable; no network, no capabilities (also as
 * root), their own user, IPC and pid namespaces (killing bwrap ends every process inside), their own session (no
 * way to the caller's terminal) and, when the run has one, the {@link SocketFilter}.
 */
final class BwrapCommand {
  /** The file descriptor the seccomp program is read from (opened by the caller's wrapper). */
  static final int SECCOMP_FD = 3;

  private BwrapCommand() {}

  /**
   * What the sandbox looks like; every path a real path (bind mounts do not follow symlinks later).
   *
   * @param mode an isolated mode (read-only or workspace-write)
   * @param workspace the workspace
   * @param cwd where the command starts
   * @param writable folders of the runner's own that stay writable in any mode
   * @param scratch folders that get an empty private tmpfs ({@code /tmp}, {@code /run}, ...)
   * @param readOnly paths in the workspace bound read-only over the writable workspace ({@code .git})
   * @param hiddenFolders folders replaced by an empty read-only tmpfs
   * @param standIns hidden files, each replaced by the file it maps to (target to stand-in)
   * @param unshareUser whether to ask for a user namespace
   * @param seccomp whether bwrap reads a seccomp program from {@link #SECCOMP_FD}
   * @param writableRoots folders writable besides the workspace under workspace-write (ignored under read-only)
   * @param network whether commands keep the host's network (no {@code --unshare-net})
   */
  record Layout(
      SandboxMode mode,
      Path workspace,
      Path cwd,
      List<Path> writable,
      List<Path> scratch,
      List<Path> readOnly,
      List<Path> hiddenFolders,
      Map<Path, Path> standIns,
      boolean unshareUser,
      boolean seccomp,
      List<Path> writableRoots,
      boolean network) {
    Layout {
      if (!mode.isolated()) {
        throw new IllegalArgumentException("no sandbox for " + mode.label());
      }
      writable = List.copyOf(writable);
      scratch = List.copyOf(scratch);
      readOnly = List.copyOf(readOnly);
      hiddenFolders = List.copyOf(hiddenFolders);
      standIns = Map.copyOf(standIns);
      writableRoots = List.copyOf(writableRoots);
    }

    /** Without extra writable roots and without network. */
    Layout(SandboxMode mode, Path workspace, Path cwd, List<Path> writable, List<Path> scratch, List<Path> readOnly,
        List<Path> hiddenFolders, Map<Path, Path> standIns, boolean unshareUser, boolean seccomp) {
      this(mode, workspace, cwd, writable, scratch, readOnly, hiddenFolders, standIns, unshareUser, seccomp, List.of(),
          false);
    }

    /**
     * The folders bound over the read-only file system: the workspace and, under workspace-write, the extra roots;
     * outer ones first, so that a root inside another stays bound (and its protected paths after all of them).
     */
    List<Path> bound() {
      List<Path> roots = new ArrayList<>(List.of(workspace));
      if (mode == SandboxMode.WORKSPACE_WRITE) {
        writableRoots.stream().filter(r -> !roots.contains(r)).forEach(roots::add);
      }
      roots.sort(Comparator.comparingInt(Path::getNameCount));
      return roots;
    }

    /** The plain layout of a workspace: nothing hidden, no user namespace, no seccomp. */
    static Layout plain(SandboxMode mode, Path workspace, Path cwd, List<Path> writable) {
      return new Layout(mode, workspace, cwd, writable, List.of(Path.of("/tmp")), List.of(), List.of(), Map.of(),
          false, false);
    }
  }

  /** The argv that runs {@code command} under bubblewrap as {@code layout} says. */
  static List<String> wrap(Path bwrap, Layout layout, List<String> command) {
    List<String> argv = new ArrayList<>();
    argv.add(bwrap.toString());
    argv.addAll(List.of("--new-session", "--die-with-parent"));
    if (!layout.network()) {
      argv.add("--unshare-net");
    }
    argv.addAll(List.of("--unshare-pid", "--unshare-ipc"));
    if (layout.unshareUser()) {
      argv.add("--unshare-user");
    }
    // root keeps every capability in the sandbox otherwise, and remounts the read-only file system writable
    argv.addAll(List.of("--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
    // the scratch folders come before the workspace bind so a workspace under /tmp stays visible
    for (Path dir : layout.scratch()) {
      add(argv, "--tmpfs", dir);
    }
    List<Path> bound = layout.bound();
    // hidden paths outside the bound folders before them (one may contain them), those inside after them (HOME may
    // be the workspace or a writable root, and its bind would show them again)
    hide(argv, layout, bound, false);
    for (Path root : bound) {
      argv.add(layout.mode() == SandboxMode.WORKSPACE_WRITE ? "--bind" : "--ro-bind");
      argv.add(root.toString());
      argv.add(root.toString());
    }
    if (layout.mode() == SandboxMode.WORKSPACE_WRITE) {
      for (Path path : layout.readOnly()) {
        argv.add("--ro-bind");
        argv.add(path.toString());
        argv.add(path.toString());
      }
    }
    hide(argv, layout, bound, true);
    // after the scratch folders too, since they usually live under /tmp
    for (Path dir : layout.writable()) {
      argv.add("--bind");
      argv.add(dir.toString());
      argv.add(dir.toString());
    }
    // last: a hidden folder may hold the workspace or the runner's folders, whose mount points are made in it first
    for (Path dir : layout.hiddenFolders()) {
      add(argv, "--remount-ro", dir);
    }
    if (layout.seccomp()) {
      argv.add("--seccomp");
      argv.add(Integer.toString(SECCOMP_FD));
    }
    add(argv, "--chdir", layout.cwd());
    argv.add("--");
    argv.addAll(command);
    return argv;
  }

  private static void hide(List<String> argv, Layout layout, List<Path> bound, boolean insideBound) {
    for (Path dir : layout.hiddenFolders()) {
      if (inside(dir, bound) == insideBound) {
        add(argv, "--tmpfs", dir);
      }
    }
    layout.standIns().entrySet().stream()
        .filter(e -> inside(e.getKey(), bound) == insideBound)
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          argv.add("--ro-bind");
          argv.add(e.getValue().toString());
          argv.add(e.getKey().toString());
        });
  }

  private static boolean inside(Path path, List<Path> roots) {
    return roots.stream().anyMatch(path::startsWith);
  }

  private static void add(List<String> argv, String option, Path path) {
    argv.add(option);
    argv.add(path.toString());
  }
}
