package dev.runner.tools;

import dev.runner.logging.Log;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one process to completion or timeout: stdin from {@code /dev/null}, stdout and stderr merged
 * in arrival order into a bounded head/tail buffer, its own session so the whole tree can be
 * killed. Every wait is bounded by the timeout plus a short drain window.
 */
final class CommandRunner {
  /** How long output may keep flowing after the process exits (background children). */
  static final Duration DRAIN = Duration.ofSeconds(2);

  private static final Log LOG = Log.of("tools");

  private CommandRunner() {}

  /**
   * What happened.
   *
   * @param exitCode the exit code, or -1 when killed for the timeout
   * @param timedOut true when the timeout killed it
   * @param output the kept output
   * @param wallTime from start to exit
   */
  record Outcome(int exitCode, boolean timedOut, HeadTailBuffer.Snapshot output, Duration wallTime) {}

  /**
   * Starts {@code argv} and waits at most {@code timeout}.
   *
   * @throws IOException when the process cannot be started
   */
  static Outcome run(
      List<String> argv,
      Path cwd,
      Map<String, String> environment,
      Duration timeout,
      HeadTailBuffer buffer)
      throws IOException {
    List<String> command = new ArrayList<>();
    ProgramLocator.locate("setsid", Path.of("/"), Map.of("PATH", "/usr/bin:/bin"))
        .ifPresent(setsid -> command.add(setsid.toString()));
    command.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(cwd.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    Thread reader = Thread.ofPlatform()
        .daemon()
        .name("tool-output-" + process.pid())
        .start(() -> copy(process, buffer));
    boolean timedOut = false;
    try {
      if (!process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        ProcessTree.kill(process.toHandle());
        process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      if (!reader.join(DRAIN)) {
        // something the command left behind still holds the output open: end it
        LOG.debug(() -> "killing leftovers of pid " + process.pid() + " holding its output open");
        ProcessTree.kill(process.toHandle());
        closeQuietly(process.getInputStream());
        reader.join(DRAIN);
      }
      int exit = process.isAlive() ? -1 : process.exitValue();
      return new Outcome(timedOut ? -1 : exit, timedOut, buffer.snapshot(), wall);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(process.toHandle());
      closeQuietly(process.getInputStream());
      return new Outcome(
          -1, true, buffer.snapshot(), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private static void copy(Process process, HeadTailBuffer buffer) {
    byte[] chunk = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        buffer.write(chunk, 0, n);
      }
    } catch (IOException e) {
      // the stream was closed after a kill: the output so far is what we report
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing more to read either way
    }
  }
}
