package dev.runner.batch;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress on stderr for logs, not terminals: a line when another tenth of the tasks is done, and otherwise at most one
 * every {@link #PERIOD_NANOS} ({@link #tick} is called on a timer), so a CI log gets a few dozen lines for any batch,
 * never a flood.
 */
final class BatchProgress {
  static final long PERIOD_NANOS = 10_000_000_000L;

  private final PrintWriter err;
  private final int total;
  private final LongSupplier nanos;
  private final long start;
  private final Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
  private int done;
  private int lastTenth;
  private long lastLine;

  BatchProgress(PrintWriter err, int total, LongSupplier nanos) {
    this.err = err;
    this.total = total;
    this.nanos = nanos;
    this.start = nanos.getAsLong();
    this.lastLine = start;
  }

  synchronized void finished(TaskStatus status) {
    done++;
    counts.merge(status, 1, Integer::sum);
    int tenth = total == 0 ? 10 : done * 10 / total;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      print();
    }
  }

  /** Prints a line when none was printed for a period. */
  synchronized void tick() {
    if (nanos.getAsLong() - lastLine >= PERIOD_NANOS && done < total) {
      print();
    }
  }

  private void print() {
    long now = nanos.getAsLong();
    lastLine = now;
    double s = (now - start) / 1e9;
    StringBuilder b = new StringBuilder("runner: batch ").append(done).append('/').append(total).append(" done");
    for (Map.Entry<TaskStatus, Integer> e : counts.entrySet()) {
      b.append(", ").append(e.getValue()).append(' ').append(e.getKey().label());
    }
    b.append(String.format(java.util.Locale.ROOT, " (%.0f s", s));
    if (done > 0 && done < total) {
      b.append(String.format(java.util.Locale.ROOT, ", ~%.0f s left", s / done * (total - done)));
    }
    err.println(b.append(')'));
    err.flush();
  }
}
