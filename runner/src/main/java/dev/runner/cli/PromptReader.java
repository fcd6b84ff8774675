package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the PROMPT argument and stdin into the task text, as codex does: {@code -} or no argument reads stdin; an
 * argument plus piped stdin appends stdin in a {@code <stdin>} block. A terminal stdin is never read for appending.
 *
 * <p>Unlike codex, an argument plus a stdin that stays open without sending anything (a CI runner that leaves stdin
 * attached) does not hang the job: after {@link #DEFAULT_SILENCE} of silence the stdin is ignored with a warning.
 */
final class PromptReader {
  static final Duration DEFAULT_SILENCE = Duration.ofSeconds(10);
  private static final Log LOG = Log.of("cli");

  private final Environment environment;
  private final Duration silence;

  PromptReader(Environment environment) {
    this(environment, DEFAULT_SILENCE);
  }

  PromptReader(Environment environment, Duration silence) {
    this.environment = environment;
    this.silence = silence;
  }

  String read(String argument) {
    String text;
    if (argument == null || argument.equals("-")) {
      if (environment.stdinIsTerminal() && argument == null) {
        throw RunnerException.usage("no prompt given",
            "pass the task as an argument, pipe it on stdin, or use '-' to type it (end with Ctrl-D)");
      }
      text = readStdin();
    } else {
      text = argument;
      if (!environment.stdinIsTerminal()) {
        String piped = readAppendedStdin();
        if (!piped.isBlank()) {
          text = text + "\n\n<stdin>\n" + piped.stripTrailing() + "\n</stdin>";
        }
      }
    }
    if (text.isBlank()) {
      throw RunnerException.usage("the prompt is empty",
          "give the task as an argument or on stdin, e.g. runner exec \"fix the tests\"");
    }
    return text;
  }

  private String readStdin() {
    try {
      return new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw RunnerException.usage("could not read the prompt from stdin: " + e.getMessage(), null);
    }
  }

  /**
   * Reads stdin to its end, unless it sends nothing at all for {@code silence}: then it is left alone. A file (or
   * {@code /dev/null}, as CI steps and {@code </dev/null} give it) is read at once: only a pipe can stay silent.
   */
  private String readAppendedStdin() {
    if (environment.stdinIsFile()) {
      try {
        return new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw RunnerException.usage("could not read stdin: " + e.getMessage(), null);
      }
    }
    InputStream in = environment.stdin();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
      byte[] chunk = new byte[8192];
      try {
        for (int n; (n = in.read(chunk)) >= 0;) {
          synchronized (buffer) {
            buffer.write(chunk, 0, n);
          }
          received.addAndGet(n);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, command -> Thread.ofPlatform().daemon().name("runner-stdin").start(command)); // a native read pins a virtual one
    try {
      reading.get(silence.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (received.get() == 0) {
        LOG.warn("stdin stayed open for " + silence.toSeconds() + " s without data; running with the argument "
            + "alone (redirect </dev/null to skip this wait)");
        return "";
      }
      awaitRest(reading); // data is flowing (e.g. a large git diff): read it all
    } catch (ExecutionException e) {
      throw RunnerException.usage("could not read stdin: " + e.getCause().getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.interrupted(dev.runner.ExitCode.SIGINT, "interrupted while reading stdin");
    }
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  private static void awaitRest(CompletableFuture<Void> reading) {
    try {
      reading.get();
    } catch (ExecutionException e) {
      throw RunnerException.usage("could not read stdin: " + e.getCause().getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.interrupted(dev.runner.ExitCode.SIGINT, "interrupted while reading stdin");
    }
  }
}
