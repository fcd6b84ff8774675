package dev.runner.batch;

import dev.runner.RunnerException;
import dev.runner.config.Provenance;
import dev.runner.config.RunConfig;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.SandboxPolicy;
import dev.runner.tools.WritableRoots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SandboxPolicy} of one run or task, as codex reads its keys: {@code [sandbox_paths]}, and under
 * workspace-write {@code sandbox_workspace_write.writable_roots} plus {@code --add-dir} and {@code
 * sandbox_workspace_write.network_access}. Exec and batch build it the same way here, so a task's {@code config} sets
 * what {@code -c} sets.
 */
public final class SandboxSetup {
  private static final String ROOTS_KEY = "sandbox_workspace_write.writable_roots";

  private SandboxSetup() {}

  /**
   * The policy for commands in {@code workspace} under {@code mode}. Writable roots count under workspace-write, and
   * under danger-full-access for apply_patch (commands may write anywhere there); read-only ignores them and the
   * network key, as codex does.
   *
   * @param addDirs {@code --add-dir} folders, absolute or relative to the working directory
   * @param workingDirectory what relative {@code --add-dir} folders and {@code -c} roots are relative to (codex: the
   *     {@code -C} folder); roots set in a config file are relative to that file's folder
   * @throws RunnerException a usage error for an unusable {@code --add-dir}, a config error for an unusable root in
   *     the config; each names the root and what to do
   */
  public static SandboxPolicy policy(RunConfig config, SandboxMode mode, Path workspace, List<Path> addDirs,
      Path workingDirectory) {
    SandboxPolicy hidden = new SandboxPolicy(config.sandboxPaths().hide(), config.sandboxPaths().expose());
    if (mode == SandboxMode.READ_ONLY) {
      return hidden;
    }
    Provenance source = config.source(ROOTS_KEY);
    List<Path> roots = new ArrayList<>();
    try {
      roots.addAll(WritableRoots.resolve(config.codex().writableRoots(), base(source, workingDirectory),
          ROOTS_KEY + " (" + source + ")"));
    } catch (IllegalArgumentException e) {
      throw RunnerException.config(e.getMessage(), "fix " + ROOTS_KEY + " where it is set (" + source + ")");
    }
    try {
      roots.addAll(WritableRoots.resolve(addDirs.stream().map(Path::toString).toList(), workingDirectory,
          "--add-dir"));
    } catch (IllegalArgumentException e) {
      throw RunnerException.usage(e.getMessage(), "pass existing folders to --add-dir");
    }
    try {
      roots = new ArrayList<>(WritableRoots.forWorkspace(roots.stream().distinct().toList(), workspace.toRealPath()));
    } catch (IllegalArgumentException e) {
      throw RunnerException.config(e.getMessage(), "remove it from " + ROOTS_KEY + " or --add-dir");
    } catch (IOException e) {
      throw RunnerException.config("workspace " + workspace + " cannot be resolved: " + e.getMessage(),
          "check that the working directory exists", e);
    }
    return hidden.withWorkspaceWrite(roots, mode == SandboxMode.WORKSPACE_WRITE && config.codex().networkAccess());
  }

  /** Where relative roots of the config key start: the folder of the file that set them, else the working folder. */
  private static Path base(Provenance source, Path workingDirectory) {
    return switch (source) {
      case Provenance.InFile f -> f.file().toAbsolutePath().getParent();
      case Provenance.InProfile p -> p.file().toAbsolutePath().getParent();
      default -> workingDirectory;
    };
  }
}
