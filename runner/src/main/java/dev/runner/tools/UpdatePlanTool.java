package dev.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code update_plan} tool: the model replaces its whole plan. Validates the steps, tells the
 * {@link ToolListener} and answers {@code Plan updated}; the plan is also in the result's {@link
 * ToolResult.PlanUpdated}. At most one step may be in progress.
 */
public final class UpdatePlanTool implements Tool {
  @Override
  public String name() {
    return "update_plan";
  }

  @Override
  public ObjectNode definition() {
    return Schemas.function(
        name(),
        "Updates the task plan: send the whole list of steps each time, with at most one"
            + " in_progress.",
        Schemas.object(
            "explanation",
            Schemas.nullable("string", "Why the plan changed, or null."),
            "plan",
            Schemas.array(
                Schemas.object(
                    "step",
                    Schemas.type("string", null),
                    "status",
                    Schemas.enumOf(null, "pending", "in_progress", "completed")),
                "The steps in order.")));
  }

  @Override
  public ToolResult run(ToolCall call, ToolContext context) {
    long start = System.nanoTime();
    ToolResult.PlanUpdated plan;
    try {
      plan = parse(Arguments.parse(call));
    } catch (Arguments.ArgumentException e) {
      return ToolResult.rejected(call, e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
    }
    context.listener().planUpdated(call.callId(), plan);
    return new ToolResult(
        call.callId(), "Plan updated", true, Duration.ofNanos(System.nanoTime() - start), plan);
  }

  private static ToolResult.PlanUpdated parse(Arguments args) {
    String explanation = args.optionalString("explanation");
    JsonNode plan = args.required("plan");
    if (!plan.isArray()) {
      throw args.wrongType("plan", "an array of {step, status}");
    }
    List<PlanItem> items = new ArrayList<>();
    int inProgress = 0;
    for (JsonNode entry : plan) {
      JsonNode step = entry.get("step");
      JsonNode status = entry.get("status");
      if (step == null || !step.isTextual() || status == null || !status.isTextual()) {
        throw args.wrongType("plan", "an array of {step: string, status: string}");
      }
      PlanItem.Status parsed = PlanItem.Status.fromLabel(status.asText());
      if (parsed == null) {
        throw args.wrongType(
            "plan[" + items.size() + "].status", "one of pending, in_progress, completed");
      }
      if (parsed == PlanItem.Status.IN_PROGRESS) {
        inProgress++;
      }
      items.add(new PlanItem(step.asText(), parsed));
    }
    if (inProgress > 1) {
      throw args.wrongType("plan", "a list with at most one step in_progress");
    }
    return new ToolResult.PlanUpdated(explanation, items);
  }
}
