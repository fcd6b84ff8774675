package dev.runner.tools;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks before a run that the chosen sandbox can work here, so that a missing or unusable bubblewrap
 * fails the run at start-up with a hint instead of failing every command the model tries. Whether
 * bubblewrap can create its namespaces here shows when the command host starts under it: the run
 * starts the host early and waits for it ({@link #awaitHost}) before its first request, instead of
 * spawning bubblewrap once more for a probe on the way (one spawn fewer, and the wait overlaps the
 * transport's set-up).
 */
public final class Sandbox {
  /** Longer than the host's own start timeout, which ends the wait with its reason first. */
  private static final Duration HOST_WAIT = HostProcess.START_TIMEOUT.multipliedBy(2);
  private static final String HINT = "install bubblewrap (apt-get install bubblewrap) or run with --sandbox danger-full-access";
  private static final String NAMESPACE_HINT = "bubblewrap needs namespaces: in Docker, start the container with"
      + " --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined;"
      + " elsewhere allow user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone);"
      + " or run with --sandbox danger-full-access where the container is the sandbox";

  private Sandbox() {}

  /**
   * Verifies what can be known without starting anything: for the isolated modes, that bwrap is on
   * the {@code PATH} and the workspace resolves.
   *
   * @throws RunnerException a config error when bwrap is missing or the workspace cannot be resolved
   */
  public static void check(SandboxMode mode, Path workspace, Map<String, String> environment) {
    if (!mode.isolated()) {
      return;
    }
    if (locateBwrap(environment).isEmpty()) {
      throw RunnerException.config(
          "sandbox " + mode.label() + " needs bubblewrap, but bwrap was not found on PATH", HINT);
    }
    try {
      workspace.toRealPath();
    } catch (IOException e) {
      throw RunnerException.config(
          "workspace " + workspace + " cannot be resolved: " + e.getMessage(),
          "check that the working directory exists",
          e);
    }
  }

  /**
   * Waits for the command host that {@link CommandHost#warmUp()} started under {@code mode}.
   *
   * @throws RunnerException a config error when the host, and so bubblewrap, could not start here
   */
  public static void awaitHost(CompletableFuture<Void> start, SandboxMode mode) {
    try {
      start.get(HOST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unusable(mode, e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw unusable(mode, "the command host did not start within " + HOST_WAIT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unusable(mode, "interrupted while the command host started");
    }
  }

  private static RunnerException unusable(SandboxMode mode, String why) {
    // bubblewrap's words when a container's seccomp profile, AppArmor or masked /proc paths stop it
    boolean namespaces = why.contains("namespace") || why.contains("mount proc") || why.contains("pivot_root");
    return RunnerException.config(
        "sandbox " + mode.label() + " cannot run commands here: " + why, namespaces ? NAMESPACE_HINT : HINT);
  }

  /** The bwrap executable on the {@code PATH} of {@code environment}. */
  static java.util.Optional<Path> locateBwrap(Map<String, String> environment) {
    return ProgramLocator.locate("bwrap", Path.of("/"), environment);
  }
}
