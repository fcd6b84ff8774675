package dev.runner.report;

import dev.runner.loop.LoopListener;
import dev.runner.protocol.Item;
import dev.runner.protocol.Usage;
import dev.runner.tools.PlanItem;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolResult;
import java.io.PrintWriter;
import java.util.List;

/**
 * Human progress on stderr, one short line per step: turns, commands with their exit codes and times, patches, plan
 * updates, repair turns. Silent with {@code -q}.
 */
public final class Progress implements LoopListener, ToolListener {
  private static final int MAX_COMMAND_CHARS = 100;

  private final PrintWriter err;
  private final java.util.function.BooleanSupplier muted;
  private volatile int turn;

  public Progress(PrintWriter err) {
    this(err, () -> false);
  }

  /** Prints nothing while {@code muted} is true (a stopped run: its only line is the one that says why). */
  public Progress(PrintWriter err, java.util.function.BooleanSupplier muted) {
    this.err = err;
    this.muted = muted;
  }

  @Override
  public void turnStarted(int turn, boolean repair) {
    this.turn = turn;
    if (repair) {
      line("[turn " + turn + "] asking the model to repair its answer (schema check failed)");
    }
  }

  @Override
  public void turnCompleted(int turn, Usage usage, List<Item> output) {
    for (Item item : output) {
      if (item instanceof Item.Message m && "assistant".equals(m.role()) && output.stream()
          .anyMatch(i -> i instanceof Item.FunctionCall || i instanceof Item.CustomToolCall)) {
        line("[turn " + turn + "] " + shorten(m.text().strip().replace('\n', ' ')));
      }
    }
  }

  @Override
  public void compacted(int turn, boolean serverSide, int itemsBefore, int itemsAfter) {
    line("[turn " + turn + "] context compacted " + (serverSide ? "by the service" : "via /responses/compact") + ": "
        + itemsBefore + " -> " + itemsAfter + " items");
  }

  @Override
  public void commandFinished(ToolResult result) {
    if (result.detail() instanceof ToolResult.CommandRun run) {
      line("[turn " + turn + "] $ " + shorten(run.command()) + "  -> exit " + run.exitCode()
          + (run.timedOut() ? " (timed out)" : "") + ", " + result.duration().toMillis() + " ms");
    }
  }

  @Override
  public void planUpdated(String callId, ToolResult.PlanUpdated plan) {
    long done = plan.items().stream().filter(PlanItem::completed).count();
    line("[turn " + turn + "] plan: " + done + "/" + plan.items().size() + " steps done");
  }

  @Override
  public void toolFinished(int turn, ToolCall call, ToolResult result, long nanos) {
    if (result.detail() instanceof ToolResult.McpCall mcp) {
      line("[turn " + turn + "] mcp " + mcp.server() + "/" + mcp.tool() + "  -> "
          + (mcp.error() != null ? "failed: " + shorten(mcp.error()) : result.success() ? "ok" : "tool error")
          + ", " + result.duration().toMillis() + " ms");
    } else if (result.detail() instanceof ToolResult.PatchApplied patch) {
      line("[turn " + turn + "] apply_patch: " + (result.success()
          ? patch.changes().size() + " file(s) changed"
          : "refused: " + shorten(result.output())));
    } else if (result.rejected()) {
      line("[turn " + turn + "] tool call '" + call.name() + "' rejected: " + shorten(result.output()));
    }
  }

  private static String shorten(String s) {
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= MAX_COMMAND_CHARS ? oneLine : oneLine.substring(0, MAX_COMMAND_CHARS - 1) + "…";
  }

  private void line(String text) {
    if (muted.getAsBoolean()) {
      return;
    }
    synchronized (err) {
      err.println(text);
      err.flush();
    }
  }
}
