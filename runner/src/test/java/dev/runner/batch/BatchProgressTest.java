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
}
