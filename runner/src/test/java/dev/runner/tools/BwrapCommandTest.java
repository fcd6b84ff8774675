package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order of bubblewrap's arguments, which decides what a later mount covers. What the sandbox lets through is
 * tested by attacking it ({@link SandboxEscapeTest}), not here.
 */
class BwrapCommandTest {
  private static final Path BWRAP = Path.of("/usr/bin/bwrap");

  private static List<String> wrap(BwrapCommand.Layout layout) {
    return BwrapCommand.wrap(BWRAP, layout, List.of("bash", "-c", "ls"));
  }

  @Test
  void capabilitiesAreDroppedAndEveryNamespaceButTheMountsIsPrivate() {
    List<String> argv = wrap(BwrapCommand.Layout.plain(
        SandboxMode.READ_ONLY, Path.of("/w"), Path.of("/w"), List.of()));

    assertThat(argv.subList(0, 12)).containsExactly(
        "/usr/bin/bwrap", "--new-session", "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc",
        "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev");
    assertThat(argv).doesNotContain("--unshare-user", "--seccomp");
    assertThat(argv.subList(argv.size() - 6, argv.size()))
        .containsExactly("--chdir", "/w", "--", "bash", "-c", "ls");
  }

  @Test
  void workspaceWriteBindsTheWorkspaceWritableThenItsGitReadOnly() {
    List<String> argv = wrap(new BwrapCommand.Layout(SandboxMode.WORKSPACE_WRITE, Path.of("/tmp/ws"),
        Path.of("/tmp/ws/sub"), List.of(), List.of(Path.of("/tmp"), Path.of("/run")),
        List.of(Path.of("/tmp/ws/.git")), List.of(), Map.of(), true, true));

    assertThat(argv).containsSubsequence("--unshare-user", "--cap-drop", "--tmpfs", "/tmp", "--tmpfs", "/run",
        "--bind", "/tmp/ws", "/tmp/ws", "--ro-bind", "/tmp/ws/.git", "/tmp/ws/.git", "--seccomp", "3", "--chdir",
        "/tmp/ws/sub");
  }

  @Test
  void readOnlyLeavesGitAsTheRestOfTheWorkspace() {
    List<String> argv = wrap(new BwrapCommand.Layout(SandboxMode.READ_ONLY, Path.of("/w"), Path.of("/w"),
        List.of(), List.of(), List.of(Path.of("/w/.git")), List.of(), Map.of(), false, false));

    assertThat(Collections.frequency(argv, "--ro-bind")).isEqualTo(2);
    assertThat(argv).containsSubsequence("--ro-bind", "/w", "/w", "--chdir").doesNotContain("/w/.git");
  }

  @Test
  void hiddenPathsOutsideTheWorkspaceComeBeforeItAndThoseInsideAfter() {
    List<String> argv = wrap(new BwrapCommand.Layout(SandboxMode.WORKSPACE_WRITE, Path.of("/home/u"),
        Path.of("/home/u"), List.of(Path.of("/tmp/runner-host-1")), List.of(Path.of("/tmp")), List.of(),
        List.of(Path.of("/home/u/.ssh"), Path.of("/etc/corp")),
        Map.of(Path.of("/home/u/.netrc"), Path.of("/tmp/runner-host-1/hidden-empty")), false, false));

    assertThat(argv).containsSubsequence(
        "--tmpfs", "/etc/corp",
        "--bind", "/home/u", "/home/u",
        "--tmpfs", "/home/u/.ssh",
        "--ro-bind", "/tmp/runner-host-1/hidden-empty", "/home/u/.netrc",
        // the runner's own folders after them, so no hidden path covers them
        "--bind", "/tmp/runner-host-1", "/tmp/runner-host-1",
        // read-only once every mount point in them is made
        "--remount-ro", "/home/u/.ssh", "--remount-ro", "/etc/corp", "--chdir");
  }

  @Test
  void fullAccessHasNoSandbox() {
    assertThatThrownBy(() -> BwrapCommand.Layout.plain(
        SandboxMode.DANGER_FULL_ACCESS, Path.of("/w"), Path.of("/w"), List.of()))
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
