package dev.runner.batch;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results file: one JSON line per finished task, appended and forced to disk before the next line, so that a
 * {@code kill -9} (or a power cut) loses at most the tasks still running, never a written line. Lines are written
 * under a lock, whole, so they never interleave. Forcing is a group commit: a task whose line an earlier force
 * already covered returns at once, so tasks that end together share one {@code fsync} instead of queueing for one
 * each (a force takes milliseconds, much longer while the disk is busy, and would cap the batch's task rate).
 * Opening it for {@code --resume} drops a torn last line (one without
 * its newline, or not a results line) by truncating the file to the end of the last good line.
 */
public final class ResultsFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final Map<String, TaskResult> previous;
  private final boolean droppedTornLine;
  /** Guards {@link #forced}; held while forcing, never while writing. */
  private final Object forcing = new Object();
  /** Lines written so far (under this object's lock). */
  private long written;
  /** Lines known to be on disk (under {@link #forcing}). */
  private long forced;

  private ResultsFile(Path path, FileChannel channel, Map<String, TaskResult> previous, boolean droppedTornLine) {
    this.path = path;
    this.channel = channel;
    this.previous = previous;
    this.droppedTornLine = droppedTornLine;
  }

  /**
   * Opens {@code path} for appending. Without {@code resume} a file that already holds results is refused (exit 2),
   * so that a rerun never mixes two batches' lines; with it, its lines are read (see {@link #previous()}).
   */
  public static ResultsFile open(Path path, boolean resume) {
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      if (!resume && Files.exists(path) && Files.size(path) > 0) {
        throw RunnerException.usage("results file " + path + " already holds results",
            "pass --resume to continue that batch, or remove the file (or choose another with --results)");
      }
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      try {
        Map<String, TaskResult> previous = new LinkedHashMap<>();
        long good = readGoodLines(channel, previous);
        boolean torn = good < channel.size();
        if (torn) {
          channel.truncate(good);
          channel.force(true);
        }
        channel.position(good);
        return new ResultsFile(path, channel, previous, torn);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw RunnerException.usage("cannot open results file " + path + ": " + e.getMessage(),
          "check the folder exists and is writable, or choose another file with --results");
    }
  }

  /** Reads every complete line; returns the offset just past the last line that is a complete results line. */
  private static long readGoodLines(FileChannel channel, Map<String, TaskResult> into) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return 0;
    }
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(size));
    while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
      // read until full
    }
    byte[] bytes = all.array();
    long good = 0;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
        var parsed = ResultJson.parse(line);
        if (parsed.isEmpty()) {
          // a bad line in the middle is not a torn write: keep everything and let the user look
          if (i + 1 < bytes.length) {
            throw RunnerException.usage("results file line " + lineNumber(bytes, start) + " is not a results line",
                "the file was edited or mixed with other output; fix or remove that line, then --resume again");
          }
          return good;
        }
        into.put(parsed.get().id(), merge(into.get(parsed.get().id()), parsed.get()));
        good = i + 1;
        start = i + 1;
      }
    }
    return good;
  }

  private static int lineNumber(byte[] bytes, int offset) {
    int n = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The later line wins, except that a cancelled line never hides a terminal one. */
  static TaskResult merge(TaskResult earlier, TaskResult later) {
    if (earlier != null && earlier.status().terminal() && !later.status().terminal()) {
      return earlier;
    }
    return later;
  }

  /** Results read at open, by id (the last terminal line of each id). */
  public Map<String, TaskResult> previous() {
    return java.util.Collections.unmodifiableMap(previous);
  }

  /** Whether opening dropped a torn last line. */
  public boolean droppedTornLine() {
    return droppedTornLine;
  }

  public Path path() {
    return path;
  }

  /** Appends {@code result}'s line and forces it to disk before returning. Thread-safe. */
  public void append(TaskResult result) {
    ByteBuffer line = ByteBuffer.wrap((ResultJson.line(result) + "\n").getBytes(StandardCharsets.UTF_8));
    long mine;
    try {
      synchronized (this) {
        while (line.hasRemaining()) {
          channel.write(line);
        }
        mine = ++written;
      }
      synchronized (forcing) {
        if (forced >= mine) {
          return;
        }
        long upTo;
        synchronized (this) {
          upTo = written;
        }
        channel.force(false);
        forced = upTo;
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot append to results file " + path, e);
    }
  }

  /** Every line of {@code path} that is a results line, in order; a torn last line (no newline) is skipped. */
  public static List<TaskResult> read(Path path) throws IOException {
    List<TaskResult> out = new ArrayList<>();
    String[] lines = Files.readString(path, StandardCharsets.UTF_8).split("\n", -1);
    // the last element follows the last newline: empty, or a torn line
    for (int i = 0; i < lines.length - 1; i++) {
      int number = i + 1;
      out.add(ResultJson.parse(lines[i]).orElseThrow(() -> new IOException(path + ":" + number
          + ": not a results line")));
    }
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // every line was forced when written: nothing is lost
    }
  }
}
