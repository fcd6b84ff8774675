package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.mcp.McpTestServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while an MCP call hangs: the runner (a JVM of its own, as users start it) exits 143 and leaves no server
 * process behind: not the servers, not what they started, not an orphan one of them left in its session.
 */
class McpServersStopOnSigtermTest {
  private static final Pattern ORPHAN = Pattern.compile("\"text\":\"(\\d+)\"");

  @TempDir
  Path dir;

  @Test
  void noServerProcessIsLeftAfterSigterm() throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Path scenario = Files.writeString(dir.resolve("scenario.json"), """
        {"name": "sigterm", "turns": [
          {"call": {"tool": "mcp__misc__spawn"}},
          {"call": {"tool": "mcp__misc__hang"}},
          {"final": "never reached"}]}
        """);
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("config.toml"), """
        model_provider = "emulator"
        [emulator]
        scenario = "%s"

        [mcp_servers.misc]
        command = "%s"
        args = ["%s", "misc"]

        [mcp_servers.other]
        command = "%s"
        args = ["%s", "crash"]
        """.formatted(scenario, McpTestServers.node(), McpTestServers.misbehaving(), McpTestServers.node(),
        McpTestServers.misbehaving()));
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.runner.Main",
        "exec", "--json", "--skip-git-repo-check", "-s", "danger-full-access", "hang")
        .directory(workspace.toFile()).redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("RUNNER_HOME", home.toString());
    pb.environment().put("CODEX_HOME", dir.resolve("no-codex").toString());
    Process runner = pb.start();
    Set<Long> seen = new TreeSet<>();
    long orphan = -1;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = ORPHAN.matcher(line);
        if (line.contains("\"tool\":\"spawn\"") && line.contains("item.completed") && m.find()) {
          orphan = Long.parseLong(m.group(1));
        }
        if (line.contains("\"tool\":\"hang\"") && line.contains("item.started")) {
          runner.descendants().forEach(p -> seen.add(p.pid()));
          break;
        }
      }
      assertThat(orphan).as(Files.readString(dir.resolve("err.txt"))).isPositive();
      seen.add(orphan);
      // two node servers (each behind setsid + sh's exec) and the orphan at least
      assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
      assertThat(running(seen)).containsExactlyInAnyOrderElementsOf(seen);

      runner.destroy(); // SIGTERM

      assertThat(runner.waitFor(30, TimeUnit.SECONDS)).as("the runner exits").isTrue();
      assertThat(runner.exitValue()).isEqualTo(143);
    } finally {
      runner.destroyForcibly();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!running(seen).isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(running(seen)).as("processes left behind").isEmpty();
  }

  /** The pids of {@code pids} that still run (a zombie waiting for its parent's wait does not). */
  private static List<Long> running(Set<Long> pids) throws Exception {
    List<Long> alive = new ArrayList<>();
    for (long pid : pids) {
      Path stat = Path.of("/proc", String.valueOf(pid), "stat");
      if (Files.exists(stat)) {
        String s = Files.readString(stat);
        char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
        if (state != 'Z' && state != 'X') {
          alive.add(pid);
        }
      }
    }
    return alive;
  }
}
