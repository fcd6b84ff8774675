package dev.runner.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.runner.logging.Log;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tools offered to the model, dispatched by name. Thread-safe: calls of one turn may run
 * concurrently. A call naming an unknown tool, or one whose arguments are malformed, comes back as
 * an error text for the model and is counted in {@link #rejectedCalls()}; a tool that throws
 * despite its contract is reported the same way instead of ending the run.
 */
public final class ToolRegistry {
  private static final Log LOG = Log.of("tools");

  private final Map<String, Tool> tools;
  private final AtomicLong rejected = new AtomicLong();

  public ToolRegistry(List<Tool> tools) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    for (Tool tool : tools) {
      if (byName.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalArgumentException("two tools named " + tool.name());
      }
    }
    this.tools = java.util.Collections.unmodifiableMap(byName);
  }

  /** shell, apply_patch and update_plan. */
  public static ToolRegistry standard() {
    return new ToolRegistry(List.of(new ShellTool(), new ApplyPatchTool(), new UpdatePlanTool()));
  }

  /** shell, apply_patch and update_plan, then {@code more} (MCP servers' tools). */
  public static ToolRegistry standard(List<Tool> more) {
    List<Tool> all = new java.util.ArrayList<>(List.of(new ShellTool(), new ApplyPatchTool(), new UpdatePlanTool()));
    all.addAll(more);
    return new ToolRegistry(all);
  }

  /** The tool names in registration order. */
  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  /** The {@code tools} array of a Responses request: one fresh function definition per tool. */
  public ArrayNode definitions() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    tools.values().forEach(t -> array.add(t.definition()));
    return array;
  }

  /** Whether calls of {@code name} run apart from the turn's other calls; see {@link Tool#runsAlone()}. */
  public boolean runsAlone(String name) {
    Tool tool = tools.get(name);
    return tool != null && tool.runsAlone();
  }

  /** Runs {@code call} on the tool it names. Never throws for anything the model sent. */
  public ToolResult run(ToolCall call, ToolContext context) {
    Tool tool = tools.get(call.name());
    if (tool == null) {
      rejected.incrementAndGet();
      return ToolResult.rejected(
          call,
          "unknown tool '" + call.name() + "'; available tools: " + String.join(", ", names()),
          Duration.ZERO);
    }
    ToolResult result;
    try {
      result = tool.run(call, context);
    } catch (RuntimeException e) {
      LOG.error("tool " + call.name() + " failed unexpectedly", e);
      result = ToolResult.rejected(
          call, "tool " + call.name() + " failed: " + e.getClass().getSimpleName(), Duration.ZERO);
    }
    if (result.rejected()) {
      rejected.incrementAndGet();
    }
    return result;
  }

  /** How many calls named an unknown tool or sent arguments that could not be used. */
  public long rejectedCalls() {
    return rejected.get();
  }
}
