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

  /**
   * Reads all of stdin on a thread of its own: a native read cannot be interrupted, and a signal while the prompt is
   * still being piped in must end the run rather than wait for the writer.
   */
  private String readStdin() {
    InputStream in = environment.stdin();
    CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
      try {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, command -> Thread.ofPlatform().daemon().name("runner-stdin").start(command));
    try {
      return text(reading.get());
    } catch (ExecutionException e) {
      throw RunnerException.usage("could not read the prompt from stdin: " + e.getCause().getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.interrupted(dev.runner.ExitCode.SIGINT, "interrupted while reading stdin");
    }
  }

  /**
   * Stdin as text. A prompt that is not text (a binary file piped by mistake: NUL bytes, invalid UTF-8) is refused:
   * sent as it is, it would cost tokens for a task the model cannot read, and replacement characters would hide it.
   */
  static String text(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw notText("a NUL byte at offset " + i);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw notText("bytes that are not UTF-8");
    }
  }

  private static RunnerException notText(String what) {
    return RunnerException.usage("stdin is not text (it holds " + what + "); the prompt must be UTF-8 text",
        "pipe text (a diff, a log), not a binary file; or pass the task as an argument with stdin </dev/null");
  }

  /**
   * Reads stdin to its end, unless it sends nothing at all for {@code silence}: then it is left alone. A file (or
   * {@code /dev/null}, as CI steps and {@code </dev/null} give it) is read at once: only a pipe can stay silent.
   */
  private String readAppendedStdin() {
    if (environment.stdinIsFile()) {
      try {
        return text(environment.stdin().readAllBytes());
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
      return text(buffer.toByteArray());
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
