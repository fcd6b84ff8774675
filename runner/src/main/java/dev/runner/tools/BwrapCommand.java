package dev.runner.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bubblewrap command line that runs a command (the command host) in the sandbox: the whole file
 * system read-only, a private {@code /tmp}, {@code /dev} and {@code /proc}, the workspace bound
 * writable only under {@link SandboxMode#WORKSPACE_WRITE}, the runner's own folders bound writable,
 * no network, its own pid namespace (so killing bwrap ends every process inside) and its own session
 * (so it cannot reach the caller's terminal).
 */
final class BwrapCommand {
  private BwrapCommand() {}

  /**
   * The argv that runs {@code command} in {@code cwd} under bubblewrap.
   *
   * @param bwrap the bwrap executable
   * @param mode an isolated mode (read-only or workspace-write)
   * @param workspace the workspace, as a real path (bind mounts do not follow symlinks later)
   * @param writable folders of the runner's own (real paths) that stay writable in any mode
   */
  static List<String> wrap(
      Path bwrap,
      SandboxMode mode,
      Path workspace,
      Path cwd,
      List<Path> writable,
      List<String> command) {
    if (!mode.isolated()) {
      throw new IllegalArgumentException("no sandbox for " + mode.label());
    }
    List<String> argv = new ArrayList<>();
    argv.add(bwrap.toString());
    argv.addAll(
        List.of(
            "--new-session",
            "--die-with-parent",
            "--unshare-net",
            "--unshare-pid",
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            // the tmpfs comes before the workspace bind so a workspace under /tmp stays visible
            "--tmpfs",
            "/tmp"));
    String ws = workspace.toString();
    argv.add(mode == SandboxMode.WORKSPACE_WRITE ? "--bind" : "--ro-bind");
    argv.add(ws);
    argv.add(ws);
    // after the tmpfs too, since they usually live under /tmp
    for (Path dir : writable) {
      argv.add("--bind");
      argv.add(dir.toString());
      argv.add(dir.toString());
    }
    argv.add("--chdir");
    argv.add(cwd.toString());
    argv.add("--");
    argv.addAll(command);
    return argv;
  }
}
