package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The argv that runs a long-lived program other than the command host (an MCP server over stdio) under the same
 * bubblewrap sandbox as shell commands: read-only file system, the workspace writable only under workspace-write, hidden
 * paths empty, no network. The program starts in {@code cwd} (through {@code env -C}, as bubblewrap starts in the
 * private folder).
 */
public final class SandboxedProgram {
  private SandboxedProgram() {}

  /**
   * @param mode an isolated mode
   * @param workspace the run's workspace
   * @param privateDir a folder of the caller's under /tmp, bound writable, where the sandbox's own files go
   * @param policy which paths the sandbox hides
   * @param environment the program's environment ({@code PATH} finds bwrap, {@code HOME} places {@code ~/} paths)
   * @param cwd where the program starts; inside the sandbox it must exist and be visible
   * @param program the program and its arguments
   * @throws IOException when bwrap is missing or the private folder cannot be written
   */
  public static List<String> argv(SandboxMode mode, Path workspace, Path privateDir, SandboxPolicy policy,
      Map<String, String> environment, Path cwd, List<String> program) throws IOException {
    if (!mode.isolated()) {
      throw new IllegalArgumentException("sandbox mode " + mode.label() + " does not isolate");
    }
    Path bwrap = Sandbox.locateBwrap(environment)
        .or(() -> Sandbox.locateBwrap(Map.of("PATH", "/usr/bin:/bin")))
        .orElseThrow(() -> new IOException("sandbox " + mode.label() + " needs bwrap, which is not on PATH"));
    Path env = ProgramLocator.locate("env", Path.of("/"), Map.of("PATH", "/usr/bin:/bin"))
        .orElseThrow(() -> new IOException("env is missing from /usr/bin and /bin"));
    List<String> inner = new ArrayList<>(List.of(env.toString(), "-C", cwd.toString()));
    inner.addAll(program);
    return new SandboxLauncher(policy).command(bwrap, mode, workspace.toRealPath(), privateDir, environment, inner);
  }
}
