package dev.runner.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * One command sent to the command host: its job file, its output file and what the host has
 * reported so far. The job creates the output file and appends to it ({@code >>}, so with {@code
 * O_APPEND}); it is moved into the head/tail buffer when the command ends, or earlier by the
 * watchdog once it passes a size cap: then the file is cut back to zero, which is safe with {@code
 * O_APPEND} writers. Bytes written between that read and the cut are lost; they fall in the middle
 * the buffer drops anyway unless the command stops right then, and line counts of such huge outputs
 * are approximate. What background processes of a finished command write later is not read.
 */
final class HostJob {
  private static final int CHUNK = 64 * 1024;

  private final long id;
  private final Path dir;
  private final Path script;
  private final Path output;
  private final HeadTailBuffer buffer;
  /** Opened once the job's shell has created the output file. */
  private FileChannel channel;
  private boolean discarded;
  /** The process group, reported by the host once the job runs. */
  final CompletableFuture<Long> started = new CompletableFuture<>();
  /** The exit status, reported by the host when the job's shell has ended. */
  final CompletableFuture<Integer> done = new CompletableFuture<>();
  /** Completes when the host has killed the job's process group and found it gone. */
  final CompletableFuture<Void> killed = new CompletableFuture<>();
  /** Set when the caller gave up; a job that starts after this is killed at once. */
  volatile boolean abandoned;

  private HostJob(long id, Path dir, Path script, Path output, HeadTailBuffer buffer) {
    this.id = id;
    this.dir = dir;
    this.script = script;
    this.output = output;
    this.buffer = buffer;
  }

  /** Writes the job file into {@code dir}. */
  static HostJob create(Path dir, long id, Path cwd, String script, HeadTailBuffer buffer)
      throws IOException {
    Path scriptFile = dir.resolve(id + ".sh");
    Files.write(scriptFile, HostScript.jobFile(cwd, script));
    return new HostJob(id, dir, scriptFile, dir.resolve(id + ".out"), buffer);
  }

  long id() {
    return id;
  }

  /** The job's process group once the host reported it, else null. */
  Long group() {
    return started.isDone() && !started.isCompletedExceptionally() ? started.join() : null;
  }

  /** Moves the output into the buffer and empties the file when it holds more than {@code cap}. */
  synchronized void spoolIfLarger(long cap) throws IOException {
    if (open() && channel.size() > cap) {
      drain();
      channel.truncate(0);
    }
  }

  /** Moves the rest of the output into the buffer; {@link #discard()} removes the files later. */
  synchronized void finish() throws IOException {
    if (open()) {
      drain();
    }
  }

  /** Removes the job's files without reading them. Safe to call more than once. */
  synchronized void discard() {
    discarded = true;
    try {
      if (channel != null) {
        channel.close();
      }
      Files.deleteIfExists(output);
      Files.deleteIfExists(script);
      Long group = group();
      if (group != null) {
        // where the job's shell checked for an EXIT trap (see command-host.sh)
        Files.deleteIfExists(dir.resolve(group + ".trap"));
      }
    } catch (IOException e) {
      // the session folder is removed as a whole when the host closes
    }
  }

  /** True when the output file is open; false before the job created it or after the end. */
  private boolean open() throws IOException {
    if (channel == null && !discarded && Files.exists(output)) {
      channel = FileChannel.open(output, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return channel != null && channel.isOpen();
  }

  /** Reads the whole file: after a cut writers start again at offset zero. */
  private void drain() throws IOException {
    // sized to the file: zeroing 64 KiB for the usual line of output is a measurable part of a call
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.clamp(channel.size(), 256, CHUNK));
    long position = 0;
    int n;
    while ((n = channel.read(chunk, position)) > 0) {
      buffer.write(chunk.array(), 0, n);
      position += n;
      chunk.clear();
    }
  }
}
