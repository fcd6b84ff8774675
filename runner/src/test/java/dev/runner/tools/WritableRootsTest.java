package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link WritableRoots} accepts as a writable root, and how the sandbox binds nested roots. */
class WritableRootsTest {
  @TempDir
  Path dir;

  @Test
  void relativeRootsResolveAgainstTheBaseAndLinksToTheirTarget() throws IOException {
    Path real = Files.createDirectories(dir.resolve("real"));
    Files.createSymbolicLink(dir.resolve("link"), real);

    List<Path> roots = WritableRoots.resolve(List.of("real", "link", "./real/../real", dir + "/real"), dir, "test");

    assertThat(roots).containsExactly(real.toRealPath());
  }

  @Test
  void missingFilesAndTheRootFolderAreRefusedByName() throws IOException {
    Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> WritableRoots.resolve(List.of("gone"), dir, "--add-dir"))
        .hasMessageContaining("--add-dir: 'gone' (" + dir.resolve("gone") + ") does not exist");
    assertThatThrownBy(() -> WritableRoots.resolve(List.of("file"), dir, "--add-dir"))
        .hasMessageContaining("'file'").hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> WritableRoots.resolve(List.of("/"), dir, "--add-dir"))
        .hasMessageContaining("the root folder /");
    assertThatThrownBy(() -> WritableRoots.resolve(List.of("/../.."), dir, "--add-dir"))
        .hasMessageContaining("the root folder /");
    assertThatThrownBy(() -> WritableRoots.resolve(List.of(" "), dir, "--add-dir"))
        .hasMessageContaining("empty path");
  }

  @Test
  void rootsInsideTheWorkspaceOrAnotherRootAreDroppedAndOneHoldingTheWorkspaceRefused() throws IOException {
    Path ws = Files.createDirectories(dir.resolve("ws"));
    Path inside = Files.createDirectories(ws.resolve("sub"));
    Path outer = Files.createDirectories(dir.resolve("outer"));
    Path nested = Files.createDirectories(outer.resolve("nested"));

    assertThat(WritableRoots.forWorkspace(List.of(inside, nested, outer), ws)).containsExactly(outer);
    assertThatThrownBy(() -> WritableRoots.forWorkspace(List.of(dir), ws))
        .hasMessageContaining("contains the workspace");
  }

  @Test
  void bwrapBindsOuterRootsFirstThenEveryGitAndHiddenPathInsideThem() {
    BwrapCommand.Layout layout = new BwrapCommand.Layout(SandboxMode.WORKSPACE_WRITE, Path.of("/w/a/ws"),
        Path.of("/w/a/ws"), List.of(), List.of(Path.of("/tmp")), List.of(Path.of("/w/a/ws/.git"),
            Path.of("/home/u/.git")),
        List.of(Path.of("/home/u/.ssh"), Path.of("/etc/corp")), Map.of(), false, false,
        List.of(Path.of("/home/u"), Path.of("/srv")), true);

    List<String> argv = BwrapCommand.wrap(Path.of("/usr/bin/bwrap"), layout, List.of("true"));

    assertThat(argv).doesNotContain("--unshare-net").containsSubsequence(
        "--tmpfs", "/etc/corp",
        "--bind", "/srv", "/srv", "--bind", "/home/u", "/home/u", "--bind", "/w/a/ws", "/w/a/ws",
        "--ro-bind", "/w/a/ws/.git", "/w/a/ws/.git", "--ro-bind", "/home/u/.git", "/home/u/.git",
        "--tmpfs", "/home/u/.ssh", "--remount-ro", "/home/u/.ssh");
  }

  @Test
  void readOnlyBindsNoRootAndKeepsTheNetworkCut() {
    BwrapCommand.Layout layout = new BwrapCommand.Layout(SandboxMode.READ_ONLY, Path.of("/w"), Path.of("/w"),
        List.of(), List.of(), List.of(), List.of(), Map.of(), false, false, List.of(Path.of("/srv")), false);

    List<String> argv = BwrapCommand.wrap(Path.of("/usr/bin/bwrap"), layout, List.of("true"));

    assertThat(argv).contains("--unshare-net").doesNotContain("/srv", "--bind");
  }

  @Test
  void withTheNetworkAResolverConfigLinkedIntoRunIsShown() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run/systemd/resolve"));
    Path stub = Files.writeString(run.resolve("stub-resolv.conf"), "nameserver 127.0.0.53\n");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.createSymbolicLink(etc.resolve("resolv.conf"), stub);
    Files.writeString(etc.resolve("plain.conf"), "nameserver 10.0.0.1\n");

    assertThat(SandboxLauncher.resolverConfig(etc.resolve("resolv.conf"), List.of(dir.resolve("run"))))
        .contains(stub.toRealPath());
    // a plain file in /etc, or a missing one, needs nothing: /etc is visible already
    assertThat(SandboxLauncher.resolverConfig(etc.resolve("plain.conf"), List.of(dir.resolve("run")))).isEmpty();
    assertThat(SandboxLauncher.resolverConfig(etc.resolve("gone.conf"), List.of(dir.resolve("run")))).isEmpty();
  }
}
