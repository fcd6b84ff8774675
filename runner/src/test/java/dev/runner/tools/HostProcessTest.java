package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a command host ends: by itself when its input closes, killed when it cannot. */
class HostProcessTest {
  @TempDir
  Path workspace;

  private HostProcess host;

  @AfterEach
  void closeHost() {
    if (host != null) {
      host.close();
    }
  }

  private HostProcess start() throws CommandHost.HostException {
    host = HostProcess.start(workspace, SandboxMode.DANGER_FULL_ACCESS, Map.of("PATH", System.getenv("PATH")),
        CommandHost.Spooling.DEFAULT);
    return host;
  }

  private static List<Long> pids(HostProcess host, String script) throws CommandHost.HostException {
    CommandHost.Outcome o = host.run(script, Path.of("."), Duration.ofSeconds(30), new HeadTailBuffer(4096, 4096));
    String text = new String(o.output().head(), StandardCharsets.UTF_8);
    assertThat(o.exitCode()).as(text).isZero();
    return text.lines().map(Long::parseLong).toList();
  }

  @Test
  void closedHostEndsItselfWithOrphansThatTookTheirOwnGroupAndRemovesItsFolder() throws Exception {
    HostProcess h = start();
    Path dir = Path.of("/proc", Long.toString(h.pid()), "cwd").toRealPath(); // the host runs in its folder
    // a background job, an orphan of the job's group, and an orphan that left it (job control in a subshell)
    List<Long> left = pids(h, "sleep 100 & echo $!; (sleep 100 & echo $!); (set -m; sleep 100 & echo $!)");
    assertThat(left).hasSize(3).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).isTrue());

    assertThat(h.close()).as("ended by itself").isTrue();

    assertThat(left).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid " + pid).isFalse());
    assertThat(ProcessTree.isRunning(h.pid())).isFalse();
    assertThat(Files.exists(dir)).as(dir + " removed").isFalse();
  }

  @Test
  void aHostThatIsGoneIsCleanedUpAfterAll() throws Exception {
    HostProcess h = start();
    Path dir = Path.of("/proc", Long.toString(h.pid()), "cwd").toRealPath();
    List<Long> left = pids(h, "(set -m; sleep 100 & echo $!)");
    ProcessHandle.of(h.pid()).orElseThrow().destroyForcibly();

    assertThat(h.close()).as("ended by itself").isFalse();

    assertThat(left).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).as("pid " + pid).isFalse());
    assertThat(Files.exists(dir)).isFalse();
  }
}
