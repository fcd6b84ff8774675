package dev.runner.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.tools.ToolCall;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The wait lines, driven by a hand-moved clock (the timer thread only calls {@code tick}). */
class WaitNoticeTest {
  final AtomicLong now = new AtomicLong(1);
  final AtomicBoolean muted = new AtomicBoolean();
  final StringWriter out = new StringWriter();
  final WaitNotice notice = new WaitNotice(new PrintWriter(out), now::get, muted::get);

  void at(long seconds) {
    now.set(1 + seconds * 1_000_000_000L);
    notice.tick();
  }

  String[] lines() {
    return out.toString().lines().toArray(String[]::new);
  }

  @Test
  void aSilentModelIsMentionedAfterTenSecondsThenEveryThirty() {
    notice.turnStarted(3, false);
    at(9);
    assertThat(lines()).isEmpty();
    at(10);
    at(20);
    at(39);
    assertThat(lines()).containsExactly("[turn 3] waiting for the model: no event for 10 s");
    at(40);
    assertThat(lines()).containsExactly("[turn 3] waiting for the model: no event for 10 s",
        "[turn 3] waiting for the model: no event for 40 s");
  }

  @Test
  void eventsKeepTheModelWaitQuietAndAnEndedTurnIsForgotten() {
    notice.turnStarted(1, false);
    for (long s = 5; s <= 60; s += 5) {
      now.set(1 + s * 1_000_000_000L);
      notice.event(1, null);
      notice.tick();
    }
    notice.turnCompleted(1, null, java.util.List.of());
    at(200);
    assertThat(lines()).isEmpty();
  }

  @Test
  void aLongCommandIsNamedWithItsTime() {
    notice.toolStarted(2, new ToolCall("c1", "shell", "{}"));
    notice.commandStarted("c1", "npm test");
    at(25);
    assertThat(lines()).containsExactly("[turn 2] still running: npm test (25 s)");
    notice.toolFinished(2, new ToolCall("c1", "shell", "{}"), null, 0);
    at(100);
    assertThat(lines()).hasSize(1);
  }

  @Test
  void aStoppedRunPrintsNoWaitLines() {
    notice.turnStarted(1, false);
    muted.set(true);
    at(60);
    assertThat(lines()).isEmpty();
  }
}
