package dev.runner.report;

import dev.runner.loop.LoopListener;
import dev.runner.protocol.Item;
import dev.runner.protocol.StreamEvent;
import dev.runner.protocol.Usage;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Says on stderr what a run is waiting on once a wait passes {@link #FIRST} (the model sends no event, a tool call
 * runs), and again every {@link #REPEAT} while it lasts, so a CI log never looks hung and never floods. The waits are
 * tracked from the loop's callbacks; {@link #tick()} decides what to print and is called by a timer ({@link #start}).
 */
public final class WaitNotice implements LoopListener, ToolListener, AutoCloseable {
  /** How long a wait stays silent. */
  public static final Duration FIRST = Duration.ofSeconds(10);
  /** How often a long wait is mentioned again. */
  public static final Duration REPEAT = Duration.ofSeconds(30);

  private static final int MAX_COMMAND_CHARS = 80;

  /** One thing waited on: since when, when it last showed life, when it was last mentioned (0 = never). */
  private static final class Wait {
    final String what;
    final long since;
    volatile long lastActivity;
    volatile long lastNotice;

    Wait(String what, long now) {
      this.what = what;
      this.since = now;
      this.lastActivity = now;
    }
  }

  private final PrintWriter err;
  private final LongSupplier nanos;
  private final BooleanSupplier muted;
  private final Map<String, Wait> waits = new ConcurrentHashMap<>();
  private volatile Thread timer;

  public WaitNotice(PrintWriter err, LongSupplier nanos, BooleanSupplier muted) {
    this.err = err;
    this.nanos = nanos;
    this.muted = muted;
  }

  /** Starts the timer thread (a daemon, stopped by {@link #close}). */
  public WaitNotice start() {
    timer = Thread.ofPlatform().daemon().name("runner-wait-notice").start(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(1000);
          tick();
        }
      } catch (InterruptedException e) {
        // closed
      }
    });
    return this;
  }

  @Override
  public void turnStarted(int turn, boolean repair) {
    waits.put("model", new Wait("[turn " + turn + "] waiting for the model", nanos.getAsLong()));
  }

  @Override
  public void event(int turn, StreamEvent event) {
    Wait w = waits.get("model");
    if (w != null) {
      w.lastActivity = nanos.getAsLong();
    }
  }

  @Override
  public void turnCompleted(int turn, Usage usage, List<Item> output) {
    waits.remove("model");
  }

  @Override
  public void turnFailed(int turn, String message) {
    waits.remove("model");
  }

  @Override
  public void toolStarted(int turn, ToolCall call) {
    waits.putIfAbsent(call.callId(), new Wait("[turn " + turn + "] tool " + call.name() + " still running",
        nanos.getAsLong()));
  }

  @Override
  public void commandStarted(String callId, String command) {
    String shown = command.strip().replace('\n', ' ');
    if (shown.length() > MAX_COMMAND_CHARS) {
      shown = shown.substring(0, MAX_COMMAND_CHARS - 1) + "…";
    }
    Wait old = waits.get(callId);
    String prefix = old == null ? "" : old.what.substring(0, old.what.indexOf(']') + 2);
    waits.put(callId, new Wait(prefix + "still running: " + shown, old == null ? nanos.getAsLong() : old.since));
  }

  @Override
  public void commandFinished(ToolResult result) {
    waits.remove(result.callId());
  }

  @Override
  public void toolFinished(int turn, ToolCall call, ToolResult result, long elapsed) {
    waits.remove(call.callId());
  }

  @Override
  public void sessionFinished(boolean success, Usage total) {
    waits.clear();
  }

  /** Prints a line for each wait silent for {@link #FIRST}, at most every {@link #REPEAT}. */
  public void tick() {
    long now = nanos.getAsLong();
    for (Wait w : waits.values()) {
      long quiet = now - w.lastActivity;
      boolean due = w.lastNotice == 0 ? quiet >= FIRST.toNanos() : now - w.lastNotice >= REPEAT.toNanos();
      if (due && quiet >= FIRST.toNanos() && !muted.getAsBoolean()) {
        w.lastNotice = now;
        String line = w.what.contains("model")
            ? w.what + ": no event for " + seconds(quiet) + " s"
            : w.what + " (" + seconds(now - w.since) + " s)";
        synchronized (err) {
          err.println(line);
          err.flush();
        }
      }
    }
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }

  @Override
  public void close() {
    Thread t = timer;
    if (t != null) {
      t.interrupt();
    }
  }
}
