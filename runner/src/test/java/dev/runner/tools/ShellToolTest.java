package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.environment.ToolEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellToolTest {
  @TempDir
  Path workspace;

  private final ShellTool shell = new ShellTool();
  private ToolContext context;

  @BeforeEach
  void openContext() {
    context = Contexts.of(workspace, SandboxMode.DANGER_FULL_ACCESS);
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  private ToolResult run(String arguments) {
    return shell.run(Contexts.call("shell", arguments), context);
  }

  private static ToolResult.CommandRun command(ToolResult result) {
    assertThat(result.detail()).isInstanceOf(ToolResult.CommandRun.class);
    return (ToolResult.CommandRun) result.detail();
  }

  @Test
  void echoReportsOutputAndExitCode() {
    ToolResult result = run("{\"command\":\"echo hello; echo oops >&2; exit 3\"}");

    assertThat(result.success()).isFalse();
    assertThat(result.output())
        .startsWith("Exit code: 3\nWall time: ")
        .contains(" seconds\nOutput:\n")
        .endsWith("hello\noops\n");
    assertThat(command(result).exitCode()).isEqualTo(3);
    assertThat(command(result).command()).isEqualTo("echo hello; echo oops >&2; exit 3");
  }

  @Test
  void argvRunsWithoutAShellInTheWorkspace() throws IOException {
    Files.createDirectory(workspace.resolve("sub"));
    ToolResult result = run("{\"command\":[\"pwd\"],\"workdir\":\"sub\",\"timeout_ms\":null}");

    assertThat(result.success()).isTrue();
    assertThat(result.output())
        .startsWith("Exit code: 0\n")
        .endsWith("\n" + workspace.toRealPath().resolve("sub") + "\n");
  }

  @Test
  void workdirOutsideTheWorkspaceIsRefused() {
    ToolResult result = run("{\"command\":\"pwd\",\"workdir\":\"../\",\"timeout_ms\":null}");

    assertThat(result.rejected()).isTrue();
    assertThat(result.output()).contains("outside the workspace");
  }

  @Test
  void missingProgramIsExit127NotAnException() {
    ToolResult argv = run("{\"command\":[\"no-such-program-xyz\",\"-v\"]}");
    ToolResult script = run("{\"command\":\"no-such-program-xyz -v\"}");

    assertThat(argv.success()).isFalse();
    assertThat(argv.output())
        .startsWith("Exit code: 127\n")
        .endsWith("program not found: no-such-program-xyz");
    assertThat(script.output()).startsWith("Exit code: 127\n").contains("not found");
  }

  @Test
  void environmentPassesThroughWithoutCredentials() {
    Map<String, String> env = Contexts.baseEnvironment();
    env.put("PLAIN_SETTING", "visible");
    env.put("OPENAI_API_KEY", "sk-secret-1");
    env.put("CODEX_API_KEY", "sk-secret-2");
    env.put("GH_TOKEN", "ghp-secret-3");
    env.put("AWS_SECRET", "secret-4");
    env.put("my_api_key", "secret-5");
    try (ToolContext withSecrets = ToolContext.of(workspace, SandboxMode.DANGER_FULL_ACCESS, env,
        Duration.ofMinutes(1))) {
      ToolResult result = shell.run(Contexts.call("shell", "{\"command\":[\"env\"]}"), withSecrets);

      assertThat(result.output()).contains("PLAIN_SETTING=visible").doesNotContain("secret");
    }
  }

  @Test
  void timeoutKillsChildrenAndGrandchildren() {
    // a child, a grandchild under a nested bash, and an orphan whose parent subshell already exited; found by the
    // durations they sleep, as the pids a command sees are those of the command host's PID namespace
    String marker = Marked.unique();
    String script = "bash -c 'sleep " + marker + ".1 & exec sleep " + marker + ".2' &"
        + " (sleep " + marker + ".3 &);"
        + " sleep " + marker + ".4 & " + Marked.awaitStarted(marker, 4).replace("\"", "\\\"") + "; echo started; wait";
    long start = System.nanoTime();
    ToolResult result = run("{\"command\":\"" + script + "\",\"workdir\":null,\"timeout_ms\":1500}");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(Marked.alive(marker)).isEmpty();
    assertThat(result.success()).isFalse();
    assertThat(command(result).timedOut()).isTrue();
    assertThat(result.output())
        .startsWith("Exit code: 124\n")
        .contains("command timed out after 1500 milliseconds\nstarted\n");
    assertThat(took).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void theSessionDeadlineCapsTheTimeout() {
    Clock clock = Clock.systemUTC();
    try (ToolContext soon = new ToolContext(
        workspace,
        SandboxMode.DANGER_FULL_ACCESS,
        ToolEnvironment.of(Contexts.baseEnvironment()),
        clock.instant().plusMillis(800),
        clock,
        ToolContext.DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT,
        ToolListener.NONE)) {
      ToolResult result = shell.run(
          Contexts.call("shell", "{\"command\":\"sleep 100\",\"timeout_ms\":60000}"), soon);

      assertThat(command(result).timedOut()).isTrue();
      assertThat(result.output()).contains("command timed out after");
      assertThat(result.duration()).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void nothingRunsAfterTheDeadline() throws IOException {
    Clock clock = Clock.systemUTC();
    ToolContext late = new ToolContext(
        workspace,
        SandboxMode.DANGER_FULL_ACCESS,
        ToolEnvironment.of(Contexts.baseEnvironment()),
        clock.instant().minusSeconds(1),
        clock,
        100,
        ToolListener.NONE);

    ToolResult result = shell.run(Contexts.call("shell", "{\"command\":\"touch ran\"}"), late);

    assertThat(result.success()).isFalse();
    assertThat(result.output()).contains("deadline");
    assertThat(workspace.resolve("ran")).doesNotExist();
  }

  @Test
  void longOutputKeepsHeadAndTailWithExactMarker() {
    ToolContext small = context.withToolOutputTokenLimit(10);
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 1000; i++) {
      expected.append(i).append('\n');
    }
    String all = expected.toString();
    int removed = all.length() - 40;

    ToolResult result = shell.run(Contexts.call("shell", "{\"command\":\"seq 1 1000\"}"), small);

    assertThat(result.output())
        .startsWith("Exit code: 0\n")
        .endsWith(
            " seconds\nTotal output lines: 1000\nOutput:\n"
                + all.substring(0, 20)
                + "…"
                + (removed + 3) / 4
                + " tokens truncated…"
                + all.substring(all.length() - 20));
  }

  @Test
  void listenerSeesStartAndEnd() {
    StringBuilder seen = new StringBuilder();
    ToolListener listener = new ToolListener() {
      @Override
      public void commandStarted(String callId, String command) {
        seen.append("start:").append(command).append(';');
      }

      @Override
      public void commandFinished(ToolResult result) {
        seen.append("end:").append(((ToolResult.CommandRun) result.detail()).exitCode());
      }
    };
    shell.run(Contexts.call("shell", "{\"command\":[\"echo\",\"a b\"]}"), context.withListener(listener));

    assertThat(seen).hasToString("start:echo 'a b';end:0");
  }
}
