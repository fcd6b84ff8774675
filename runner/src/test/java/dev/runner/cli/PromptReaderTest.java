package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptReaderTest {
  private static PromptReader reader(String stdin, boolean terminal) {
    Environment env = new Environment(Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        terminal, Path.of("."), Path.of("."), 0);
    return new PromptReader(env);
  }

  @Test
  void argumentAlone() {
    assertThat(reader("", true).read("fix it")).isEqualTo("fix it");
  }

  @Test
  void dashReadsStdin() {
    assertThat(reader("from stdin\n", false).read("-")).isEqualTo("from stdin\n");
  }

  @Test
  void noArgumentReadsPipedStdin() {
    assertThat(reader("piped task", false).read(null)).isEqualTo("piped task");
  }

  @Test
  void argumentPlusPipedStdinAppendsAStdinBlock() {
    assertThat(reader("diff --git a b\n", false).read("review this"))
        .isEqualTo("review this\n\n<stdin>\ndiff --git a b\n</stdin>");
  }

  @Test
  void emptyPipedStdinLeavesTheArgumentAlone() {
    assertThat(reader("", false).read("task")).isEqualTo("task");
  }

  @Test
  void emptyPromptIsAUsageError() {
    assertThatThrownBy(() -> reader("   \n", false).read(null)).isInstanceOfSatisfying(RunnerException.class,
        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("empty");
    assertThatThrownBy(() -> reader("", true).read(null)).isInstanceOfSatisfying(RunnerException.class,
        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("no prompt");
  }

  @Test
  void anOpenStdinThatSendsNothingDoesNotHangTheRun() throws Exception {
    java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
    java.io.PipedInputStream neverEnds = new java.io.PipedInputStream(writer);
    Environment env = new Environment(Map.of(), neverEnds, false, Path.of("."), Path.of("."), 0);
    assertThat(new PromptReader(env, java.time.Duration.ofMillis(200)).read("task")).isEqualTo("task");
    writer.close();
  }

  @Test
  void stdinThatIsStillStreamingAfterTheSilenceWindowIsReadToTheEnd() throws Exception {
    java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
    java.io.PipedInputStream slow = new java.io.PipedInputStream(writer);
    writer.write("first part ".getBytes(StandardCharsets.UTF_8));
    Thread producer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(400); // the rest arrives after the 100 ms window, proving the reader keeps going
        writer.write("second part".getBytes(StandardCharsets.UTF_8));
        writer.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Environment env = new Environment(Map.of(), slow, false, Path.of("."), Path.of("."), 0);
    assertThat(new PromptReader(env, java.time.Duration.ofMillis(100)).read("task"))
        .isEqualTo("task\n\n<stdin>\nfirst part second part\n</stdin>");
    producer.join();
  }

  @Test
  void aFileOnStdinIsReadOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    java.util.List<Thread> readers = new java.util.ArrayList<>();
    java.io.InputStream file = new java.io.FilterInputStream(
        new ByteArrayInputStream("notes\n".getBytes(StandardCharsets.UTF_8))) {
      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        readers.add(Thread.currentThread());
        return super.read(b, off, len);
      }
    };
    Environment env = new Environment(Map.of(), file, false, Path.of("."), Path.of("."), 0, true);
    assertThat(new PromptReader(env).read("task")).isEqualTo("task\n\n<stdin>\nnotes\n</stdin>");
    // no reader thread and no silence window: a file cannot keep the run waiting
    assertThat(readers).isNotEmpty().containsOnly(caller);
  }
}
