package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.batch.SandboxSetup;
import dev.runner.config.ConfigReport;
import dev.runner.config.RunConfig;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.SandboxPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runner config}'s rows for what the sandbox of an exec in the working directory would allow, with {@code
 * sandbox_mode} as configured: the folders commands may write ({@code sandbox.writable_roots}: the workspace first,
 * then the roots as real paths) and whether they keep the network ({@code sandbox.network_access}).
 */
final class SandboxRows {
  private static final String SOURCE = "effective";

  private SandboxRows() {}

  static List<ConfigReport.Row> of(RunConfig config, Path workingDirectory) {
    SandboxMode mode = config.codex().sandboxMode().flatMap(SandboxMode::fromLabel).orElse(SandboxMode.READ_ONLY);
    if (mode == SandboxMode.DANGER_FULL_ACCESS) {
      return List.of(
          new ConfigReport.Row("sandbox.writable_roots", List.of("/"), SOURCE, "danger-full-access: no sandbox"),
          new ConfigReport.Row("sandbox.network_access", true, SOURCE, "danger-full-access: no sandbox"));
    }
    if (mode == SandboxMode.READ_ONLY) {
      return List.of(
          new ConfigReport.Row("sandbox.writable_roots", List.of(), SOURCE,
              "read-only: sandbox_workspace_write and --add-dir are ignored"),
          new ConfigReport.Row("sandbox.network_access", false, SOURCE, "read-only"));
    }
    SandboxPolicy policy;
    try {
      policy = SandboxSetup.policy(config, mode, workingDirectory, List.of(), workingDirectory);
    } catch (RunnerException e) {
      return List.of(new ConfigReport.Row("sandbox.writable_roots", "unusable", SOURCE, e.getMessage()),
          new ConfigReport.Row("sandbox.network_access", config.codex().networkAccess(), SOURCE, ""));
    }
    List<String> roots = new ArrayList<>(List.of(workingDirectory.toAbsolutePath().normalize().toString()));
    policy.writableRoots().forEach(r -> roots.add(r.toString()));
    return List.of(
        new ConfigReport.Row("sandbox.writable_roots", roots, SOURCE,
            "workspace-write, each .git read-only; plus --add-dir at exec"),
        new ConfigReport.Row("sandbox.network_access", policy.networkAccess(), SOURCE, "workspace-write"));
  }
}
