package dev.runner.tools;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks before a run that the chosen sandbox can work here, so a missing bubblewrap fails the run
 * at start-up with a hint instead of failing every command the model tries.
 */
public final class Sandbox {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  private static final String HINT = "install bubblewrap (apt-get install bubblewrap) or run with --sandbox danger-full-access";

  private Sandbox() {}

  /**
   * Verifies that commands can run under {@code mode} in {@code workspace}: for the isolated modes,
   * runs {@code true} under bubblewrap with the flags the command host will get (but for the bind of
   * the host's own folder).
   *
   * @throws RunnerException a config error when bwrap is missing, cannot create its namespaces, or
   *     the probe does not finish within 10 seconds
   */
  public static void check(SandboxMode mode, Path workspace, Map<String, String> environment) {
    if (!mode.isolated()) {
      return;
    }
    Path bwrap = locateBwrap(environment)
        .orElseThrow(
            () -> RunnerException.config(
                "sandbox "
                    + mode.label()
                    + " needs bubblewrap, but bwrap was not found on PATH",
                HINT));
    Path root;
    try {
      root = workspace.toRealPath();
    } catch (IOException e) {
      throw RunnerException.config(
          "workspace " + workspace + " cannot be resolved: " + e.getMessage(),
          "check that the working directory exists",
          e);
    }
    List<String> argv = BwrapCommand.wrap(bwrap, mode, root, root, List.of(), List.of("true"));
    String failure = probe(argv);
    if (failure != null) {
      throw RunnerException.config(
          "sandbox " + mode.label() + " cannot start bubblewrap here: " + failure, HINT);
    }
  }

  /** The bwrap executable on the {@code PATH} of {@code environment}. */
  static java.util.Optional<Path> locateBwrap(Map<String, String> environment) {
    return ProgramLocator.locate("bwrap", Path.of("/"), environment);
  }

  /** Runs the probe; null on success, else what went wrong. */
  private static String probe(List<String> argv) {
    Process process;
    try {
      process = new ProcessBuilder(argv)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      return e.getMessage();
    }
    try {
      if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.kill(process.toHandle());
        return "the probe did not finish within " + PROBE_TIMEOUT.toSeconds() + " s";
      }
      if (process.exitValue() == 0) {
        return null;
      }
      // the process has exited, so this read ends at once
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return "exit code " + process.exitValue() + ": " + out.strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(process.toHandle());
      return "interrupted";
    } catch (IOException e) {
      return "exit code " + process.exitValue();
    }
  }
}
