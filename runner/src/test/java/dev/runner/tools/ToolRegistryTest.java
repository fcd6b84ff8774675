package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolRegistryTest {
  @TempDir
  Path workspace;

  private final ToolRegistry registry = ToolRegistry.standard();
  private final List<ToolContext> contexts = new ArrayList<>();

  private ToolContext context() {
    ToolContext context = Contexts.of(workspace, SandboxMode.DANGER_FULL_ACCESS);
    contexts.add(context);
    return context;
  }

  @AfterEach
  void closeContexts() {
    contexts.forEach(ToolContext::close);
  }

  @Test
  void unknownToolsAreAnsweredAndCounted() {
    ToolResult result = registry.run(Contexts.call("browse", "{}"), context());

    assertThat(result.success()).isFalse();
    assertThat(result.output())
        .isEqualTo("unknown tool 'browse'; available tools: shell, apply_patch, update_plan");
    assertThat(registry.rejectedCalls()).isEqualTo(1);
  }

  @Test
  void malformedArgumentsAreAnsweredAndCounted() {
    ToolResult notJson = registry.run(Contexts.call("shell", "{\"command\": [\"ls\""), context());
    ToolResult wrongType = registry.run(Contexts.call("shell", "{\"command\": 5}"), context());
    ToolResult missing = registry.run(Contexts.call("update_plan", "{}"), context());
    ToolResult fine = registry.run(Contexts.call("shell", "{\"command\": \"true\"}"), context());

    assertThat(notJson.output()).startsWith("failed to parse function arguments for shell");
    assertThat(wrongType.output()).contains("field 'command' must be");
    assertThat(missing.output()).contains("missing required field 'plan'");
    assertThat(fine.success()).isTrue();
    assertThat(registry.rejectedCalls()).isEqualTo(3);
  }

  @Test
  void definitionsAreStrictFunctionTools() {
    ArrayNode definitions = registry.definitions();

    assertThat(definitions).hasSize(3);
    for (JsonNode tool : definitions) {
      assertThat(tool.get("type").asText()).isEqualTo("function");
      assertThat(tool.get("strict").asBoolean()).isTrue();
      assertThat(tool.get("description").asText()).isNotBlank();
      assertStrict(tool.get("name").asText(), tool.get("parameters"));
    }
  }

  /** Every object closes its properties and requires all of them, at any depth. */
  private static void assertStrict(String where, JsonNode schema) {
    if (schema.isArray()) {
      schema.forEach(s -> assertStrict(where, s));
      return;
    }
    if (!schema.isObject()) {
      return;
    }
    if (schema.has("properties")) {
      assertThat(schema.get("additionalProperties").asBoolean(true)).as(where).isFalse();
      List<String> names = new ArrayList<>();
      Iterator<String> it = schema.get("properties").fieldNames();
      it.forEachRemaining(names::add);
      List<String> required = new ArrayList<>();
      schema.get("required").forEach(r -> required.add(r.asText()));
      assertThat(required).as(where).containsExactlyElementsOf(names);
    }
    schema.forEach(child -> assertStrict(where, child));
  }

  @Test
  void planUpdatesReachTheListenerAndTheResult() {
    List<ToolResult.PlanUpdated> seen = new CopyOnWriteArrayList<>();
    ToolListener listener = new ToolListener() {
      @Override
      public void planUpdated(String callId, ToolResult.PlanUpdated plan) {
        seen.add(plan);
      }
    };
    String args = "{\"explanation\":null,\"plan\":[{\"step\":\"read\",\"status\":\"completed\"},"
        + "{\"step\":\"fix\",\"status\":\"in_progress\"}]}";

    ToolResult result = registry.run(Contexts.call("update_plan", args), context().withListener(listener));

    ToolResult.PlanUpdated expected = new ToolResult.PlanUpdated(
        null,
        List.of(
            new PlanItem("read", PlanItem.Status.COMPLETED),
            new PlanItem("fix", PlanItem.Status.IN_PROGRESS)));
    assertThat(result.output()).isEqualTo("Plan updated");
    assertThat(result.detail()).isEqualTo(expected);
    assertThat(seen).containsExactly(expected);
  }

  @Test
  void aBadPlanStatusIsRejected() {
    ToolResult result = registry.run(
        Contexts.call("update_plan", "{\"plan\":[{\"step\":\"a\",\"status\":\"done\"}]}"),
        context());

    assertThat(result.rejected()).isTrue();
    assertThat(result.output()).contains("plan[0].status").contains("in_progress");
  }

  @Test
  void aThrowingListenerDoesNotFailTheCall() {
    ToolListener broken = new ToolListener() {
      @Override
      public void commandStarted(String callId, String command) {
        throw new IllegalStateException("listener bug");
      }
    };

    ToolResult result = registry.run(
        Contexts.call("shell", "{\"command\":\"echo ok\"}"), context().withListener(broken));

    assertThat(result.success()).isTrue();
    assertThat(result.output()).endsWith("ok\n");
  }
}
