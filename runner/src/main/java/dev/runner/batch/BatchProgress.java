package dev.runner.batch;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: done/total, counts by status, turns per second and the time left.
 *
 * <p>For logs ({@code live} false) a line when another tenth of the tasks is done, and otherwise at most one every
 * {@link #PERIOD_NANOS} ({@link #tick} is called on a timer), so a CI log gets a few dozen lines for any batch, never a
 * flood. On a terminal ({@code live} true) one line redrawn in place ({@code \r}, then erase to the end of the line) at
 * most every {@link #REDRAW_NANOS}; {@link #end} leaves it on screen and moves to the next line.
 */
final class BatchProgress {
  static final long PERIOD_NANOS = 10_000_000_000L;
  /** Redraws a person can follow, and few enough that a slow terminal never holds a task's thread back. */
  static final long REDRAW_NANOS = 200_000_000L;
  private static final String ERASE_TO_END = "\u001b[K";

  private final PrintWriter err;
  private final int total;
  private final LongSupplier nanos;
  private final boolean live;
  private final long start;
  private final Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
  private int done;
  private long turns;
  private int lastTenth;
  private long lastLine;
  private boolean drawn;

  BatchProgress(PrintWriter err, int total, LongSupplier nanos) {
    this(err, total, nanos, false);
  }

  BatchProgress(PrintWriter err, int total, LongSupplier nanos, boolean live) {
    this.err = err;
    this.total = total;
    this.nanos = nanos;
    this.live = live;
    this.start = nanos.getAsLong();
    this.lastLine = start;
  }

  /** Counts a task that ended with {@code status} after {@code taskTurns} model turns. */
  synchronized void finished(TaskStatus status, long taskTurns) {
    done++;
    turns += taskTurns;
    counts.merge(status, 1, Integer::sum);
    if (live) {
      if (done == total || nanos.getAsLong() - lastLine >= REDRAW_NANOS) {
        print();
      }
      return;
    }
    int tenth = total == 0 ? 10 : done * 10 / total;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      print();
    }
  }

  synchronized void finished(TaskStatus status) {
    finished(status, 0);
  }

  /** On a terminal redraws the line (the time moves on); for logs prints one when none was printed for a period. */
  synchronized void tick() {
    if (live ? done < total : nanos.getAsLong() - lastLine >= PERIOD_NANOS && done < total) {
      print();
    }
  }

  /** On a terminal: draws the last state and ends the line, so what follows starts on a line of its own. */
  synchronized void end() {
    if (live && (drawn || done > 0)) {
      print();
      err.println();
      err.flush();
      drawn = false;
    }
  }

  /** Prints a line of its own; on a terminal above the progress line, which is then drawn again. */
  synchronized void say(String line) {
    if (live && drawn) {
      err.print("\r" + ERASE_TO_END);
      err.println(line);
      print();
    } else {
      err.println(line);
      err.flush();
    }
  }

  private void print() {
    long now = nanos.getAsLong();
    lastLine = now;
    double s = (now - start) / 1e9;
    StringBuilder b = new StringBuilder();
    if (live) {
      b.append('\r');
    }
    b.append("runner: batch ").append(done).append('/').append(total).append(" done");
    for (Map.Entry<TaskStatus, Integer> e : counts.entrySet()) {
      b.append(", ").append(e.getValue()).append(' ').append(e.getKey().label());
    }
    b.append(String.format(Locale.ROOT, ", %.1f turns/s", s > 0 ? turns / s : 0.0));
    b.append(String.format(Locale.ROOT, " (%s", duration(s)));
    if (done > 0 && done < total) {
      b.append(", ~").append(duration(s / done * (total - done))).append(" left");
    }
    b.append(')');
    if (live) {
      err.print(b.append(ERASE_TO_END));
      drawn = true;
    } else {
      err.println(b);
    }
    err.flush();
  }

  /** 42 s, 3m05s, 1h02m: short enough for one line. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
