package dev.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.logging.Logs;
import dev.runner.loop.LoopListener;
import dev.runner.protocol.Item;
import dev.runner.protocol.Json;
import dev.runner.protocol.Usage;
import dev.runner.tools.FileChange;
import dev.runner.tools.PlanItem;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --json}: codex-compatible JSONL events on stdout, one object per line (schemas/exec-events.schema.json). Like
 * codex, the whole task is one {@code turn}: {@code thread.started}, {@code turn.started}, items as they happen, then
 * {@code turn.completed} with the total usage or {@code turn.failed}. Thread-safe: tools of one turn report
 * concurrently.
 */
public final class JsonlEvents implements LoopListener, ToolListener {
  private final PrintWriter out;
  private final AtomicInteger nextItem = new AtomicInteger();
  private final Map<String, String> itemIdByCall = new ConcurrentHashMap<>();
  private volatile String planItemId;
  private volatile ObjectNode lastPlan;
  private volatile String failure;

  public JsonlEvents(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void sessionStarted(String sessionId) {
    emit(event("thread.started").put("thread_id", sessionId));
    emit(event("turn.started"));
  }

  @Override
  public void turnCompleted(int turn, Usage usage, List<Item> output) {
    for (Item item : output) {
      if (item instanceof Item.Message m && "assistant".equals(m.role())) {
        ObjectNode i = item("agent_message");
        i.put("text", m.text());
        emit(event("item.completed").set("item", i));
      } else if (item instanceof Item.Reasoning r && !r.summary().isEmpty()) {
        ObjectNode i = item("reasoning");
        i.put("text", String.join("\n", r.summary()));
        emit(event("item.completed").set("item", i));
      }
    }
  }

  @Override
  public void turnFailed(int turn, String message) {
    failure = message;
  }

  @Override
  public void commandStarted(String callId, String command) {
    ObjectNode i = item("command_execution");
    itemIdByCall.put(callId, i.get("id").asText());
    i.put("command", command).put("aggregated_output", "").putNull("exit_code");
    i.put("status", "in_progress");
    emit(event("item.started").set("item", i));
  }

  @Override
  public void commandFinished(ToolResult result) {
    if (!(result.detail() instanceof ToolResult.CommandRun run)) {
      return;
    }
    String id = itemIdByCall.remove(result.callId());
    ObjectNode i = id == null ? item("command_execution") : Json.MAPPER.createObjectNode().put("id", id);
    i.put("type", "command_execution").put("command", run.command()).put("aggregated_output", run.aggregatedOutput())
        .put("exit_code", run.exitCode()).put("status", run.exitCode() == 0 ? "completed" : "failed");
    emit(event("item.completed").set("item", i));
  }

  @Override
  public void planUpdated(String callId, ToolResult.PlanUpdated plan) {
    boolean first = planItemId == null;
    if (first) {
      planItemId = "item_" + nextItem.getAndIncrement();
    }
    ObjectNode i = Json.MAPPER.createObjectNode().put("id", planItemId).put("type", "todo_list");
    ArrayNode items = i.putArray("items");
    for (PlanItem p : plan.items()) {
      items.addObject().put("text", p.step()).put("completed", p.completed());
    }
    lastPlan = i;
    emit(event(first ? "item.started" : "item.updated").set("item", i));
  }

  @Override
  public void mcpCallStarted(String callId, String server, String tool, JsonNode arguments) {
    ObjectNode i = item("mcp_tool_call");
    itemIdByCall.put(callId, i.get("id").asText());
    i.put("server", server).put("tool", tool);
    i.set("arguments", arguments);
    i.putNull("result");
    i.putNull("error");
    i.put("status", "in_progress");
    emit(event("item.started").set("item", i));
  }

  @Override
  public void toolFinished(int turn, ToolCall call, ToolResult result, long nanos) {
    if (result.detail() instanceof ToolResult.McpCall mcp) {
      String id = itemIdByCall.remove(result.callId());
      ObjectNode i = id == null ? item("mcp_tool_call") : Json.MAPPER.createObjectNode().put("id", id);
      i.put("type", "mcp_tool_call").put("server", mcp.server()).put("tool", mcp.tool());
      i.set("arguments", mcp.arguments());
      if (mcp.result() == null) {
        i.putNull("result");
      } else {
        i.set("result", mcp.result());
      }
      if (mcp.error() == null) {
        i.putNull("error");
      } else {
        i.putObject("error").put("message", mcp.error());
      }
      // as codex: a call whose result has isError set is failed too, with its result
      i.put("status", mcp.error() == null && result.success() ? "completed" : "failed");
      emit(event("item.completed").set("item", i));
    } else if (result.detail() instanceof ToolResult.PatchApplied patch) {
      ObjectNode i = item("file_change");
      ArrayNode changes = i.putArray("changes");
      for (FileChange c : patch.changes()) {
        changes.addObject().put("path", c.path()).put("kind", c.kind().label());
      }
      i.put("status", result.success() ? "completed" : "failed");
      emit(event("item.completed").set("item", i));
    } else if (result.rejected()) {
      ObjectNode i = item("error");
      i.put("message", "tool call '" + call.name() + "' rejected: " + result.output());
      emit(event("item.completed").set("item", i));
    }
  }

  /** A run-ending error that did not come from a turn (schema violation, config, timeout). */
  public void failed(String message) {
    failure = message;
  }

  @Override
  public void sessionFinished(boolean success, Usage total) {
    if (lastPlan != null) {
      emit(event("item.completed").set("item", lastPlan));
    }
    if (success) {
      ObjectNode usage = Json.MAPPER.createObjectNode().put("input_tokens", total.inputTokens())
          .put("cached_input_tokens", total.cachedTokens()).put("output_tokens", total.outputTokens())
          .put("reasoning_output_tokens", total.reasoningTokens());
      emit(event("turn.completed").set("usage", usage));
    }
  }

  /** Ends a failed run: {@code turn.failed} with the reason. */
  public void finishFailed(String message) {
    // a server's error may echo the key: redacted as a log line would be (stdout is as public as stderr)
    String m = Logs.redact(message != null ? message : failure != null ? failure : "the run failed");
    ObjectNode error = Json.MAPPER.createObjectNode().put("message", m);
    emit(event("turn.failed").set("error", error));
  }

  private ObjectNode item(String type) {
    return Json.MAPPER.createObjectNode().put("id", "item_" + nextItem.getAndIncrement()).put("type", type);
  }

  private static ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private void emit(ObjectNode event) {
    String line = event.toString();
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
