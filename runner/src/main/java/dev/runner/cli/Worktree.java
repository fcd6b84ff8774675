package dev.runner.cli;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", workspace.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw RunnerException.usage("--worktree: " + String.join(" ", args) + " did not finish within 60 s",
            "check the repository at " + workspace);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw RunnerException.usage("--worktree: git " + String.join(" ", args) + " failed: " + out.strip(),
            "run inside a git repository with at least one commit");
      }
      return out;
    } catch (IOException e) {
      throw RunnerException.usage("--worktree: cannot run git: " + e.getMessage(), "install git");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.usage("--worktree: interrupted", "run again");
    }
  }
}
