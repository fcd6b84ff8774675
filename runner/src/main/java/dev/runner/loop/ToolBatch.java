package dev.runner.loop;

import dev.runner.RunnerException;
import dev.runner.protocol.Item;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolRegistry;
import dev.runner.tools.ToolResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the tool calls of one turn (concurrently when allowed) and turns their results into input items. */
final class ToolBatch {
  /** A call from the model; {@code custom} for freeform tools, whose output item type differs. */
  record Pending(ToolCall call, boolean custom) {}

  private final ToolRegistry tools;
  private final ToolContext context;
  private final LoopListener listener;
  private final boolean parallel;
  private final java.time.Clock clock;
  private final RunStop stop;

  ToolBatch(ToolRegistry tools, ToolContext context, LoopListener listener, boolean parallel) {
    this(tools, context, listener, parallel, RunStop.NEVER);
  }

  ToolBatch(ToolRegistry tools, ToolContext context, LoopListener listener, boolean parallel, RunStop stop) {
    this.stop = stop;
    this.clock = context.clock();
    this.tools = tools;
    this.context = context;
    this.listener = listener;
    this.parallel = parallel;
  }

  /**
   * Runs {@code calls} and returns their outputs in call order. With parallel tool calls, each run
   * of consecutive calls that may overlap runs concurrently; a call whose tool {@link
   * ToolRegistry#runsAlone runs alone} (apply_patch, which writes from this process outside the
   * command sandbox) waits for the calls before it and holds back the calls after it, so a shell
   * command of the same turn cannot change the tree while a patch is written.
   */
  List<Item> run(int turn, List<Pending> calls, Instant deadline) {
    List<Item> outputs = new ArrayList<>(calls.size());
    int from = 0;
    while (from < calls.size()) {
      int to = from + 1;
      if (parallel && !runsAlone(calls.get(from))) {
        while (to < calls.size() && !runsAlone(calls.get(to))) {
          to++;
        }
      }
      if (to - from == 1) {
        Pending p = calls.get(from);
        outputs.add(toItem(p, runOne(turn, p.call())));
      } else {
        outputs.addAll(runConcurrently(turn, calls.subList(from, to), deadline));
      }
      from = to;
    }
    return outputs;
  }

  private boolean runsAlone(Pending p) {
    return tools.runsAlone(p.call().name());
  }

  private List<Item> runConcurrently(int turn, List<Pending> calls, Instant deadline) {
    List<Item> outputs = new ArrayList<>(calls.size());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ToolResult>> futures = new ArrayList<>();
      for (Pending p : calls) {
        futures.add(pool.submit(() -> runOne(turn, p.call())));
      }
      for (int i = 0; i < calls.size(); i++) {
        outputs.add(toItem(calls.get(i), await(futures.get(i), deadline, clock)));
      }
      return outputs;
    }
  }

  private ToolResult runOne(int turn, ToolCall call) {
    stop.check();
    listener.toolStarted(turn, call);
    long start = System.nanoTime();
    ToolResult result = tools.run(call, context);
    listener.toolFinished(turn, call, result, System.nanoTime() - start);
    return result;
  }

  private static ToolResult await(Future<ToolResult> future, Instant deadline, java.time.Clock clock) {
    long waitMs = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
    try {
      return future.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw RunnerException.timeout("a tool call was still running at the deadline (--timeout)",
          "raise --timeout or give the command a timeout_ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.taskFailed("interrupted while tools were running", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RunnerException stopped) {
        throw stopped; // a stop asked for while the call waited its turn
      }
      throw RunnerException.taskFailed("a tool failed unexpectedly: " + e.getCause(), e.getCause());
    }
  }

  private static Item toItem(Pending p, ToolResult result) {
    return p.custom()
        ? new Item.CustomToolCallOutput(p.call().callId(), result.output())
        : new Item.FunctionCallOutput(p.call().callId(), result.output());
  }
}
