package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.RunnerException;
import dev.runner.environment.ToolEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attacks on what workspace-write widens ({@code writable_roots} / {@code --add-dir}, {@code network_access}), run
 * for real through the command host under bubblewrap and through apply_patch. The workspace, the writable root and
 * its sibling lie side by side outside {@code /tmp} (the sandbox's own), so a write that shows on the host went
 * through the bind. Runs as root and, through {@code ci/escape-suite.sh}, as an ordinary user.
 */
class WritableRootsEscapeTest {
  @AfterAll
  static void removeScratch() throws IOException {
    OutsideTmp.removeAll();
  }

  private Path scratch;
  private Path workspace;
  private Path root;
  private Path sibling;
  private Path home;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final ShellTool shell = new ShellTool();
  private final ApplyPatchTool patch = new ApplyPatchTool();

  @BeforeEach
  void setUp() throws IOException {
    try {
      Sandbox.check(SandboxMode.READ_ONLY, Path.of("/"), Contexts.baseEnvironment());
    } catch (RunnerException e) {
      Assumptions.abort("writable roots need bubblewrap (install: apt-get install bubblewrap): " + e.getMessage());
    }
    scratch = OutsideTmp.newFolder("roots", "case-");
    workspace = Files.createDirectory(scratch.resolve("ws"));
    root = Files.createDirectory(scratch.resolve("extra"));
    sibling = Files.createDirectory(scratch.resolve("sibling"));
    home = Files.createDirectory(scratch.resolve("home"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
    try (var paths = Files.walk(scratch)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ToolContext context(SandboxMode mode, List<Path> roots, boolean network) {
    Map<String, String> env = new HashMap<>(Contexts.baseEnvironment());
    env.put("HOME", home.toString());
    ToolEnvironment tools = ToolEnvironment.of(env);
    SandboxPolicy policy = SandboxPolicy.DEFAULT.withWorkspaceWrite(roots, network);
    Clock clock = Clock.systemUTC();
    ToolContext context = new ToolContext(workspace, mode, tools, clock.instant().plus(Duration.ofMinutes(2)), clock,
        ToolContext.DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT, ToolListener.NONE,
        new CommandHost(workspace, mode, tools, policy));
    cleanup.add(context);
    return context;
  }

  private ToolContext withRoot() {
    return context(SandboxMode.WORKSPACE_WRITE, List.of(root), false);
  }

  private String run(ToolContext context, String script) {
    ToolResult result = shell.run(CommandHostTest.script(script), context);
    assertThat(result.detail()).as(result.output()).isInstanceOf(ToolResult.CommandRun.class);
    return ((ToolResult.CommandRun) result.detail()).aggregatedOutput();
  }

  private ToolResult apply(ToolContext context, String body) {
    String text = "*** Begin Patch\n" + body + "*** End Patch";
    return patch.run(Contexts.call("apply_patch", text), context);
  }

  // --- commands ---

  @Test
  void theRootIsWritableAndItsSiblingIsNot() {
    String out = run(withRoot(), "echo r > " + root.resolve("made") + " && echo ROOT; mkdir -p " + root.resolve("d/e")
        + " && echo DIR; echo s > " + sibling.resolve("made") + " && echo SIBLING; echo p > "
        + scratch.resolve("parent") + " && echo PARENT");

    assertThat(out).contains("ROOT", "DIR").doesNotContain("SIBLING", "PARENT");
    assertThat(root.resolve("made")).hasContent("r");
    assertThat(root.resolve("d/e")).isDirectory();
    assertThat(sibling.resolve("made")).doesNotExist();
    assertThat(scratch.resolve("parent")).doesNotExist();
  }

  @Test
  void readOnlyIgnoresTheRoots() {
    String out = run(context(SandboxMode.READ_ONLY, List.of(root), true),
        "echo r > " + root.resolve("made") + " && echo ROOT");

    assertThat(out).doesNotContain("ROOT");
    assertThat(root.resolve("made")).doesNotExist();
  }

  @Test
  void aLinkInTheRootLeadingOutCannotBeWrittenThrough() throws IOException {
    Files.createSymbolicLink(root.resolve("out"), sibling);
    Files.createSymbolicLink(root.resolve("file-out"), sibling.resolve("target"));
    Files.writeString(sibling.resolve("target"), "before");

    String out = run(withRoot(), "echo x > " + root.resolve("out/via-link") + " && echo WROTE; echo x > "
        + root.resolve("file-out") + " && echo WROTE; ln -sfn /etc " + root.resolve("etc") + " && echo x > "
        + root.resolve("etc/runner-escape") + " && echo WROTE");

    assertThat(out).doesNotContain("WROTE");
    assertThat(sibling.resolve("via-link")).doesNotExist();
    assertThat(sibling.resolve("target")).hasContent("before");
    assertThat(Path.of("/etc/runner-escape")).doesNotExist();
  }

  @Test
  void theRootsGitStaysReadOnly() throws IOException {
    Files.createDirectories(root.resolve(".git/hooks"));
    Files.writeString(root.resolve(".git/config"), "[core]\n");

    String out = run(withRoot(), "cd " + root + " && echo 'echo pwned' > .git/hooks/pre-commit && echo HOOK;"
        + " printf '[core]\\n\\thooksPath = /x\\n' >> .git/config && echo APPENDED; mv .git .git-moved && echo MOVED;"
        + " mount -o remount,bind,rw .git; touch .git/remounted && echo REMOUNTED; touch elsewhere && echo OK");

    assertThat(out).contains("OK").doesNotContain("HOOK", "APPENDED", "MOVED", "REMOUNTED");
    assertThat(root.resolve(".git/hooks/pre-commit")).doesNotExist();
    assertThat(root.resolve(".git/config")).hasContent("[core]\n");
  }

  @Test
  void aWorktreesGitdirInsideAWritableRootStaysReadOnly() throws IOException {
    // the workspace is a worktree whose main checkout was given as a writable root
    Path gitdir = Files.createDirectories(root.resolve("main/.git/worktrees/ws"));
    Files.writeString(workspace.resolve(".git"), "gitdir: " + gitdir + "\n");

    String out = run(withRoot(), "touch " + gitdir.resolve("HEAD") + " && echo WROTE; touch "
        + root.resolve("main/free") + " && echo FREE");

    assertThat(out).contains("FREE").doesNotContain("WROTE");
    assertThat(gitdir.resolve("HEAD")).doesNotExist();
  }

  @Test
  void credentialStoresInAWritableHomeStayHidden() throws IOException {
    // HOME given as a writable root: its bind must not show the hidden folders again
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh/id_ed25519"), "PRIVATE-KEY");

    String out = run(context(SandboxMode.WORKSPACE_WRITE, List.of(home), false),
        "cat ~/.ssh/id_ed25519; echo x > ~/.ssh/authorized_keys && echo WROTE; echo y > ~/.profile && echo HOME");

    assertThat(out).contains("HOME").doesNotContain("PRIVATE-KEY", "WROTE");
    assertThat(home.resolve(".ssh/authorized_keys")).doesNotExist();
    assertThat(home.resolve(".profile")).hasContent("y");
  }

  // --- the network ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void aLoopbackPortIsReachableOnlyWithNetworkAccessUnderWorkspaceWrite(SandboxMode mode) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    cleanup.add(server);
    AtomicInteger connections = new AtomicInteger();
    Thread.ofPlatform().daemon().start(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          s.getOutputStream().write("HELLO\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          return;
        }
      }
    });
    String probe = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && read -r l <&3 && echo \"GOT $l\"";

    String cut = run(context(mode, List.of(), false), probe);
    int before = connections.get();
    String allowed = run(context(mode, List.of(), true), probe);

    assertThat(cut).doesNotContain("GOT");
    assertThat(before).isZero();
    if (mode == SandboxMode.WORKSPACE_WRITE) {
      assertThat(allowed).isEqualTo("GOT HELLO\n");
      assertThat(connections.get()).isEqualTo(1);
    } else {
      // read-only never has the network, as in codex
      assertThat(allowed).doesNotContain("GOT");
      assertThat(connections.get()).isZero();
    }
  }

  @Test
  void unixSocketsStayRefusedWithNetworkAccess() {
    String probe = "/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_UNIX); print(\"UNIX\")' 2>&1";

    String open = run(context(SandboxMode.DANGER_FULL_ACCESS, List.of(), true), probe);
    String sandboxed = run(context(SandboxMode.WORKSPACE_WRITE, List.of(), true), probe);

    assertThat(open).as("python3 must work outside the sandbox for this probe").isEqualTo("UNIX\n");
    assertThat(sandboxed).doesNotContain("UNIX\n").contains("Permission denied");
  }

  // --- apply_patch ---

  @Test
  void applyPatchClimbsIntoTheRootAndWritesAbsolutePathsInIt() {
    ToolContext context = withRoot();

    ToolResult climbed = apply(context, "*** Add File: ../extra/climbed.txt\n+up\n");
    ToolResult absolute = apply(context, "*** Add File: " + root.resolve("sub/abs.txt") + "\n+abs\n");

    assertThat(climbed.success()).as(climbed.output()).isTrue();
    assertThat(climbed.output()).contains("A " + root.resolve("climbed.txt"));
    assertThat(root.resolve("climbed.txt")).hasContent("up\n");
    assertThat(absolute.success()).as(absolute.output()).isTrue();
    assertThat(root.resolve("sub/abs.txt")).hasContent("abs\n");
  }

  @Test
  void applyPatchOutOfTheRootIsRefused() throws IOException {
    ToolContext context = withRoot();
    Files.createSymbolicLink(root.resolve("out"), sibling);
    Files.createDirectories(root.resolve(".git"));

    List<ToolResult> refused = List.of(
        apply(context, "*** Add File: ../sibling/x.txt\n+x\n"),
        apply(context, "*** Add File: ../extra/../sibling/x.txt\n+x\n"),
        apply(context, "*** Add File: " + sibling.resolve("x.txt") + "\n+x\n"),
        apply(context, "*** Add File: ../extra/out/x.txt\n+x\n"),
        apply(context, "*** Add File: " + root.resolve("out/x.txt") + "\n+x\n"),
        apply(context, "*** Add File: ../extra/.git/config\n+x\n"),
        apply(context, "*** Add File: ../../x.txt\n+x\n"));

    assertThat(refused).hasSize(7).allSatisfy(r -> assertThat(r.success()).as(r.output()).isFalse());
    assertThat(sibling.resolve("x.txt")).doesNotExist();
    assertThat(root.resolve(".git/config")).doesNotExist();
    assertThat(scratch.getParent().resolve("x.txt")).doesNotExist();
  }

  @Test
  void aPatchSpanningTwoRootsChangesNothing() {
    ToolResult result = apply(withRoot(), "*** Add File: here.txt\n+h\n*** Add File: ../extra/there.txt\n+t\n");

    assertThat(result.success()).isFalse();
    assertThat(result.output()).contains("one writable root per call");
    assertThat(workspace.resolve("here.txt")).doesNotExist();
    assertThat(root.resolve("there.txt")).doesNotExist();
  }

  @Test
  void withoutRootsApplyPatchStaysInTheWorkspace() {
    ToolContext context = context(SandboxMode.WORKSPACE_WRITE, List.of(), false);

    ToolResult climbed = apply(context, "*** Add File: ../extra/x.txt\n+x\n");
    ToolResult absolute = apply(context, "*** Add File: " + root.resolve("x.txt") + "\n+x\n");

    assertThat(climbed.output()).contains("outside the workspace");
    assertThat(absolute.output()).contains("absolute path");
    assertThat(root.resolve("x.txt")).doesNotExist();
  }
}
