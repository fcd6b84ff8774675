package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash host program on its own, driven over its pipes as {@link HostProcess} does. */
class HostScriptTest {
  private static final String NONCE = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;
  @TempDir
  Path workspace;

  @Test
  void argvScriptsQuoteEveryArgument() {
    assertThat(HostScript.exec(List.of("printf", "%s", "it's", "a b")))
        .isEqualTo("exec -- 'printf' '%s' 'it'\\''s' 'a b'");
  }

  @Test
  void theHostEndsItsJobsWhenItsInputCloses() throws Exception {
    // what happens when the JVM dies: nobody closes the host, but its stdin ends
    Path bash = ProgramLocator.locate("bash", dir, Contexts.baseEnvironment()).orElseThrow();
    Process host = new ProcessBuilder(HostScript.install(bash, dir, "session"))
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (BufferedReader replies = new BufferedReader(
        new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream requests = host.getOutputStream();
      requests.write((NONCE + "\n").getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      assertThat(replies.readLine()).startsWith(NONCE + " ready ");
      Files.write(dir.resolve("1.sh"), HostScript.jobFile(workspace, "sleep 100 & echo $! > pid; wait"));
      requests.write("run 1\n".getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      assertThat(replies.readLine()).startsWith(NONCE + " started 1 ");
      long sleeper = awaitPid(workspace.resolve("pid"));
      assertThat(ProcessTree.isRunning(sleeper)).isTrue();

      requests.close();

      assertThat(host.waitFor(10, TimeUnit.SECONDS)).as("the host exits").isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ProcessTree.isRunning(sleeper) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(ProcessTree.isRunning(sleeper)).as("the job's child is gone").isFalse();
      assertThat(dir).as("the host removed its folder").doesNotExist();
    } finally {
      ProcessTree.kill(host.toHandle());
    }
  }

  @Test
  void aJobCannotOpenTheHostsDescriptorsWhenItLacksCapabilities() throws Exception {
    // root keeps the capabilities that open any process's files, so it drops them as bubblewrap's --cap-drop ALL does
    // (a job of root with them can open the host's descriptors: nothing keeps that root from tracing the runner either)
    Path bash = ProgramLocator.locate("bash", dir, Contexts.baseEnvironment()).orElseThrow();
    List<String> command = new java.util.ArrayList<>();
    boolean root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    if (root) {
      Path setpriv = ProgramLocator.locate("setpriv", dir, Contexts.baseEnvironment())
          .orElseGet(
              () -> Assumptions.abort("root drops its capabilities with setpriv; install: apt-get install util-linux"));
      // env runs without them, and so it starts bash: the kernel judges the copy by the capabilities of the caller
      command.addAll(List.of(setpriv.toString(), "--bounding-set=-all", "--inh-caps=-all", "--", "/usr/bin/env"));
    }
    command.addAll(HostScript.install(bash, dir, "session"));
    Process host = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (BufferedReader replies = new BufferedReader(
        new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream requests = host.getOutputStream();
      requests.write((NONCE + "\n").getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      assertThat(replies.readLine()).startsWith(NONCE + " ready ");
      // the host's pipes to the runner and its own, and a worker's, by every way a job could name them
      Files.write(dir.resolve("1.sh"), HostScript.jobFile(workspace,
          "for f in /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/8 /proc/$$/fd/9; do"
              + " if { : <\"$f\"; } 2>/dev/null || { : 1<>\"$f\"; } 2>/dev/null; then echo \"opened $f\"; fi; done;"
              + " echo done"));
      requests.write("run 1\n".getBytes(StandardCharsets.US_ASCII));
      requests.flush();
      assertThat(replies.readLine()).startsWith(NONCE + " started 1 ");
      assertThat(replies.readLine()).startsWith(NONCE + " done ");

      assertThat(Files.readString(dir.resolve("1.out"))).isEqualTo("done\n");
    } finally {
      ProcessTree.kill(host.toHandle());
    }
  }

  private static long awaitPid(Path file) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String text = Files.readString(file).strip();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the job never wrote " + file);
  }
}
