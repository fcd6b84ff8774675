package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchProgressTest {
  @Test
  void aLinePerTenthAndOnePerQuietPeriodNeverMore() {
    StringWriter text = new StringWriter();
    AtomicLong now = new AtomicLong();
    BatchProgress p = new BatchProgress(new PrintWriter(text), 1000, now::get);
    for (int i = 0; i < 1000; i++) {
      p.finished(i % 10 == 0 ? TaskStatus.FAILED : TaskStatus.OK);
      p.tick(); // no time passes: ticks add nothing
    }
    assertThat(text.toString().lines()).hasSize(10);
    assertThat(text.toString().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("runner: batch 1000/1000 done, 900 ok, 100 failed");

    StringWriter slow = new StringWriter();
    BatchProgress q = new BatchProgress(new PrintWriter(slow), 1000, now::get);
    q.finished(TaskStatus.OK);
    now.addAndGet(BatchProgress.PERIOD_NANOS - 1);
    q.tick();
    assertThat(slow.toString()).isEmpty();
    now.addAndGet(1);
    q.tick();
    q.tick();
    assertThat(slow.toString().lines()).hasSize(1).first().asString().contains("1/1000 done", "left");
  }

  @Test
  void logLinesCarryTurnsPerSecondAndTheTimeLeft() {
    StringWriter text = new StringWriter();
    AtomicLong now = new AtomicLong();
    BatchProgress p = new BatchProgress(new PrintWriter(text), 10, now::get, false);
    now.addAndGet(2_000_000_000L);
    p.finished(TaskStatus.OK, 5); // a tenth: a line
    assertThat(text.toString()).isEqualTo("runner: batch 1/10 done, 1 ok, 2.5 turns/s (2 s, ~18 s left)\n");
  }

  @Test
  void onATerminalOneLineIsRedrawnInPlaceAtMostFiveTimesASecondAndEndedOnce() {
    StringWriter text = new StringWriter();
    AtomicLong now = new AtomicLong();
    BatchProgress p = new BatchProgress(new PrintWriter(text), 100, now::get, true);
    for (int i = 0; i < 50; i++) {
      p.finished(TaskStatus.OK, 2); // no time passes: no redraw
    }
    assertThat(text.toString()).isEmpty();
    now.addAndGet(BatchProgress.REDRAW_NANOS);
    p.finished(TaskStatus.FAILED, 1);
    p.finished(TaskStatus.OK, 1); // within the same redraw period
    assertThat(text.toString()).isEqualTo("\rrunner: batch 51/100 done, 50 ok, 1 failed, 505.0 turns/s (0 s, ~0 s left)"
        + "\u001b[K");
    now.addAndGet(60_000_000_000L);
    p.tick(); // the timer redraws: the time moves on
    p.say("runner: stopping: something");
    p.end();
    String[] parts = text.toString().split("\r", -1);
    assertThat(parts).hasSize(6); // nothing, three draws, the erase before the message, the draw after it
    assertThat(parts[2]).isEqualTo("runner: batch 52/100 done, 51 ok, 1 failed, 1.7 turns/s (1m00s, ~56 s left)"
        + "\u001b[K");
    assertThat(parts[3]).isEqualTo("\u001b[Krunner: stopping: something\n");
    assertThat(text.toString()).doesNotContain("\n\n").endsWith("\u001b[K\n").doesNotEndWith("\u001b[K\n\n");
    assertThat(text.toString().chars().filter(c -> c == '\n').count()).isEqualTo(2);
  }

  @Test
  void durationsStayShort() {
    assertThat(BatchProgress.duration(42.4)).isEqualTo("42 s");
    assertThat(BatchProgress.duration(185)).isEqualTo("3m05s");
    assertThat(BatchProgress.duration(3720)).isEqualTo("1h02m");
  }
}
