package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BwrapCommandTest {
  private static final List<String> COMMON = List.of(
      "/usr/bin/bwrap",
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
      "--tmpfs",
      "/tmp");

  @Test
  void workspaceWriteBindsTheWorkspaceWritable() {
    List<String> argv = BwrapCommand.wrap(
        Path.of("/usr/bin/bwrap"),
        SandboxMode.WORKSPACE_WRITE,
        Path.of("/tmp/ws"),
        Path.of("/tmp/ws/sub"),
        List.of(),
        List.of("bash", "-c", "ls"));

    assertThat(argv.subList(0, COMMON.size())).isEqualTo(COMMON);
    assertThat(argv.subList(COMMON.size(), argv.size()))
        .containsExactly(
            "--bind", "/tmp/ws", "/tmp/ws", "--chdir", "/tmp/ws/sub", "--", "bash", "-c", "ls");
  }

  @Test
  void theRunnersFoldersStayWritableAfterThePrivateTmp() {
    List<String> argv = BwrapCommand.wrap(
        Path.of("/usr/bin/bwrap"),
        SandboxMode.READ_ONLY,
        Path.of("/w"),
        Path.of("/w"),
        List.of(Path.of("/tmp/runner-host-1")),
        List.of("true"));

    assertThat(argv.subList(COMMON.size(), argv.size()))
        .containsExactly(
            "--ro-bind",
            "/w",
            "/w",
            "--bind",
            "/tmp/runner-host-1",
            "/tmp/runner-host-1",
            "--chdir",
            "/w",
            "--",
            "true");
  }

  @Test
  void readOnlyBindsTheWorkspaceReadOnly() {
    List<String> argv = BwrapCommand.wrap(
        Path.of("/usr/bin/bwrap"),
        SandboxMode.READ_ONLY,
        Path.of("/w"),
        Path.of("/w"),
        List.of(),
        List.of("true"));

    assertThat(argv.subList(COMMON.size(), argv.size()))
        .containsExactly("--ro-bind", "/w", "/w", "--chdir", "/w", "--", "true");
  }

  @Test
  void fullAccessHasNoSandbox() {
    assertThatThrownBy(
        () -> BwrapCommand.wrap(
            Path.of("bwrap"),
            SandboxMode.DANGER_FULL_ACCESS,
            Path.of("/w"),
            Path.of("/w"),
            List.of(),
            List.of("true")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modesUseCodexLabels() {
    assertThat(SandboxMode.fromLabel("workspace-write")).contains(SandboxMode.WORKSPACE_WRITE);
    assertThat(SandboxMode.fromLabel("read-only")).contains(SandboxMode.READ_ONLY);
    assertThat(SandboxMode.fromLabel("danger-full-access"))
        .contains(SandboxMode.DANGER_FULL_ACCESS);
    assertThat(SandboxMode.fromLabel("full")).isEmpty();
  }
}
