package dev.runner.tools;

import dev.runner.environment.ToolEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bubblewrap runs; skipped only when bwrap cannot start on this machine. */
class SandboxTest {
  @org.junit.jupiter.api.AfterAll
  static void removeScratch() throws IOException {
    OutsideTmp.removeAll();
  }

  @TempDir
  Path workspace;
  @TempDir
  Path outside;

  private final ShellTool shell = new ShellTool();

  @BeforeEach
  void requireBubblewrap() {
    try {
      Sandbox.check(SandboxMode.WORKSPACE_WRITE, workspace, Contexts.baseEnvironment());
    } catch (RunnerException e) {
      Assumptions.abort("bubblewrap cannot run here, sandbox tests skipped: " + e.getMessage());
    }
  }

  private ToolResult sh(SandboxMode mode, String script) {
    try (ToolContext context = Contexts.of(workspace, mode)) {
      return shell.run(CommandHostTest.script(script), context);
    }
  }

  @Test
  void callsShareOneSandboxedHost() {
    try (ToolContext context = Contexts.of(workspace, SandboxMode.READ_ONLY)) {
      ToolResult first = shell.run(CommandHostTest.script("echo $$"), context);
      ToolResult second = shell.run(CommandHostTest.script("echo $$; touch made"), context);

      // the host's pid inside the sandbox's pid namespace, then the read-only workspace refusing
      String host = output(first);
      assertThat(first.success()).isTrue();
      assertThat(output(second)).startsWith(host).contains("Read-only file system");
    }
    assertThat(workspace.resolve("made")).doesNotExist();
  }

  private static String output(ToolResult result) {
    return ((ToolResult.CommandRun) result.detail()).aggregatedOutput();
  }

  @Test
  void workspaceWriteMayWriteTheWorkspaceOnly() throws IOException {
    // outside /tmp, which the sandbox replaces with its own tmpfs
    Path dir = OutsideTmp.newFolder("sandbox-test", "escape-");
    Path elsewhere = dir.resolve("escaped-" + System.nanoTime());

    ToolResult inside = sh(SandboxMode.WORKSPACE_WRITE, "touch made && echo made");
    ToolResult escape = sh(SandboxMode.WORKSPACE_WRITE, "touch " + elsewhere);

    assertThat(inside.output()).startsWith("Exit code: 0\n").endsWith("made\n");
    assertThat(workspace.resolve("made")).exists();
    assertThat(escape.success()).isFalse();
    assertThat(escape.output()).contains("Read-only file system");
    assertThat(elsewhere).doesNotExist();
  }

  @Test
  void readOnlyRefusesWritesFromShellAndPatch() {
    ToolResult touch = sh(SandboxMode.READ_ONLY, "touch made");
    ToolResult patch = new ApplyPatchTool()
        .run(
            Contexts.call(
                "apply_patch",
                "{\"input\":\"*** Begin Patch\\n*** Add File: made\\n+x\\n*** End Patch\"}"),
            Contexts.of(workspace, SandboxMode.READ_ONLY));

    assertThat(touch.success()).isFalse();
    assertThat(touch.output()).contains("Read-only file system");
    assertThat(patch.success()).isFalse();
    assertThat(patch.output()).contains("read-only");
    assertThat(workspace.resolve("made")).doesNotExist();
  }

  @Test
  void commandsInTheSandboxCannotReachTheNetwork() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String connect = "echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";

      ToolResult sandboxed = sh(SandboxMode.WORKSPACE_WRITE, connect);
      ToolResult open = sh(SandboxMode.DANGER_FULL_ACCESS, connect);

      assertThat(sandboxed.success()).isFalse();
      assertThat(sandboxed.output()).doesNotContain("connected");
      assertThat(open.output()).startsWith("Exit code: 0\n").endsWith("connected\n");
    }
  }

  @Test
  void aTimeoutEndsEverythingInsideTheSandbox() throws IOException {
    try (ToolContext context = Contexts.of(workspace, SandboxMode.WORKSPACE_WRITE)) {
      ToolResult result = shell.run(
          Contexts.call(
              "shell",
              "{\"command\":\"sleep 100 & sleep 100 & echo started; wait\",\"timeout_ms\":1000}"),
          context);

      assertThat(result.output()).startsWith("Exit code: 124\n").contains("started");
      assertThat(result.duration()).isLessThan(Duration.ofSeconds(30));
      assertThat(ProcessHandle.current().descendants().filter(p -> isSleep(p)).toList()).isEmpty();
    }
  }

  private static boolean isSleep(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)
        && ProcessTree.isRunning(p.pid());
  }

  @Test
  void configuredPathsAreHiddenAndExposedDefaultsAreNot() throws IOException {
    // outside /tmp, which the sandbox replaces with its own tmpfs
    Path home = OutsideTmp.newFolder("sandbox-test", "home-");
    Files.createDirectories(home.resolve(".config/corp"));
    Files.writeString(home.resolve(".config/corp/token"), "corp-token");
    Files.writeString(home.resolve(".npmrc"), "registry=https://npm.example/");
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh/id_rsa"), "ssh-key");
    Map<String, String> env = new java.util.HashMap<>(Contexts.baseEnvironment());
    env.put("HOME", home.toString());
    SandboxPolicy policy = new SandboxPolicy(List.of("~/.config/corp"), List.of("~/.npmrc"));
    String probe = "cat ~/.config/corp/token ~/.npmrc ~/.ssh/id_rsa 2>/dev/null;"
        + " echo; echo \"LISTED $(ls -A ~/.config/corp ~/.ssh | grep -c -x -e token -e id_rsa)\"";

    ToolEnvironment tools = ToolEnvironment.of(env);
    try (ToolContext context = new ToolContext(workspace, SandboxMode.READ_ONLY, tools,
        Instant.now().plusSeconds(300), Clock.systemUTC(), ToolContext.DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT,
        ToolListener.NONE, new CommandHost(workspace, SandboxMode.READ_ONLY, tools, policy))) {
      String out = output(shell.run(CommandHostTest.script(probe), context));

      assertThat(out).isEqualTo("registry=https://npm.example/\nLISTED 0\n");
    }
  }

  @Test
  void aHiddenHomeKeepsTheWorkspaceInsideItUsable() throws IOException {
    Path home = OutsideTmp.newFolder("sandbox-test", "home-");
    Path project = Files.createDirectory(home.resolve("project"));
    Files.writeString(home.resolve("secret"), "home-secret");
    Map<String, String> env = new java.util.HashMap<>(Contexts.baseEnvironment());
    env.put("HOME", home.toString());
    SandboxPolicy policy = new SandboxPolicy(List.of("~"), List.of());

    ToolEnvironment tools = ToolEnvironment.of(env);
    try (ToolContext context = new ToolContext(project, SandboxMode.WORKSPACE_WRITE, tools,
        Instant.now().plusSeconds(300), Clock.systemUTC(), ToolContext.DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT,
        ToolListener.NONE, new CommandHost(project, SandboxMode.WORKSPACE_WRITE, tools, policy))) {
      String out = output(shell.run(
          CommandHostTest.script("cat ~/secret 2>/dev/null; touch made && ls -A ~ && touch ~/x 2>/dev/null; echo END"),
          context));

      assertThat(out).isEqualTo("project\nEND\n");
    }
    assertThat(project.resolve("made")).exists();
    assertThat(home.resolve("x")).doesNotExist();
  }

  @Test
  void ordinaryWorkStillRunsInside() throws IOException {
    // pipes and socket pairs between processes, loopback TCP within the sandbox, git on the read-only workspace
    Files.writeString(workspace.resolve("f.txt"), "x\n");
    String script = "git init -q . 2>/dev/null; git status --short >/dev/null && echo GIT;"
        + " /usr/bin/python3 -c 'import socket\na,b=socket.socketpair()\na.send(b\"P\")\nprint(\"PAIR\",b.recv(1))\n"
        + "s=socket.socket()\ns.bind((\"127.0.0.1\",0))\ns.listen()\nc=socket.create_connection(s.getsockname())\n"
        + "print(\"TCP\", s.accept()[0] is not None)'; java -version 2>&1 | head -1 | sed 's/.*/JAVA/'";
    ToolResult result = sh(SandboxMode.WORKSPACE_WRITE, script);

    assertThat(output(result)).contains("GIT", "PAIR b'P'", "TCP True", "JAVA");
  }

  @Test
  void missingBubblewrapIsAConfigErrorWithAnInstallHint() throws IOException {
    Path emptyBin = Files.createDirectory(outside.resolve("bin"));

    assertThatThrownBy(
        () -> Sandbox.check(
            SandboxMode.READ_ONLY, workspace, Map.of("PATH", emptyBin.toString())))
        .isInstanceOfSatisfying(
            RunnerException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
              assertThat(e.getMessage()).contains("read-only").contains("bwrap");
              assertThat(e.hint())
                  .contains("apt-get install bubblewrap")
                  .contains("--sandbox danger-full-access");
            });
  }

  @Test
  void fullAccessNeedsNoBubblewrap() {
    Sandbox.check(SandboxMode.DANGER_FULL_ACCESS, workspace, Map.of("PATH", "/nonexistent"));
  }
}
