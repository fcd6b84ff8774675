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
