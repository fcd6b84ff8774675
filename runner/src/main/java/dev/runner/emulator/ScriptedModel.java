package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a {@link Scenario} against a conversation. The turn is the number of tool outputs in the whole conversation
 * (previous_response_id chains already resolved), so every transport sees the same script. Shell steps become calls
 * of whichever shell-like tool the request offers, with that tool's argument names.
 */
final class ScriptedModel {
  /** What the model answers for one request. */
  sealed interface Reply {
    /** Output items; {@code turn} is 1-based. */
    record Output(List<OutputItem> items, int turn, long latencyMs, String fault) implements Reply {}

    /** The scripted turn fails with {@code response.failed}. */
    record Failure(String code, String message, int turn, long latencyMs, String fault) implements Reply {}

    /** The scripted turn refuses the request with an HTTP error status and this body. */
    record Refusal(int status, String contentType, JsonNode body) implements Reply {}

    /** The scenario cannot answer this request (its final answer does not fit the requested schema). */
    record Unanswerable(String message) implements Reply {}
  }

  private static final int SUMMARY_LINES = 5;
  private static final int SUMMARY_CHARS = 600;

  private final Scenario scenario;
  private final Ids ids;

  ScriptedModel(Scenario scenario, Ids ids) {
    this.scenario = scenario;
    this.ids = ids;
  }

  Scenario scenario() {
    return scenario;
  }

  Reply answer(Conversation conversation, JsonNode tools, JsonNode textFormat) {
    List<String> outputs = conversation.toolOutputs();
    int turnIndex = outputs.size();
    Scenario.Turn turn = scenario.turnFor(turnIndex);
    List<OutputItem> items = new ArrayList<>();
    if (turn.reasoning() != null) {
      String opaque = java.util.Base64.getEncoder().encodeToString(("emulated reasoning: " + turn.reasoning())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      items.add(new OutputItem.Reasoning(ids.next("rs"), turn.reasoning(), opaque));
    }
    if (turn.text() != null) {
      items.add(new OutputItem.Message(ids.next("msg"), turn.text()));
    }
    Templates templates = new Templates(conversation.prompt(), outputs);
    switch (turn.action()) {
      case Scenario.Action.Shell s -> items.add(shellCall(s, tools));
      case Scenario.Action.Patch p -> items.add(patchCall(p.patch(), tools));
      case Scenario.Action.UpdatePlan u -> items.add(new OutputItem.FunctionCall(ids.next("fc"), ids.next("call"),
          "update_plan", u.arguments().toString()));
      case Scenario.Action.HttpError h -> {
        return new Reply.Refusal(h.status(), h.contentType(), h.body());
      }
      case Scenario.Action.Call c -> items.add(new OutputItem.FunctionCall(ids.next("fc"), ids.next("call"),
          c.tool(), templates.renderJson(c.arguments()).toString()));
      case Scenario.Action.Fail f -> {
        return new Reply.Failure(f.code(), f.message(), turnIndex + 1, turn.latencyMs(), turn.fault());
      }
      case Scenario.Action.Final f -> {
        String text;
        JsonNode schema = jsonSchema(textFormat);
        if (f.template() == null) {
          try {
            text = schema != null
                ? new SchemaInstance(schema, outputs, conversation.prompt()).build().toString()
                : summary(conversation.prompt(), outputs);
          } catch (SchemaInstance.Unsatisfiable e) {
            return unsatisfiable(turnIndex, e);
          }
        } else {
          text = templates.renderText(f.template());
        }
        if (schema != null && f.checked()) {
          String problem = SchemaCheck.problem(schema, parseOrText(text));
          if (problem != null) {
            return new Reply.Unanswerable("scenario '" + scenario.name() + "' turn " + (turnIndex + 1)
                + ": final answer does not conform to text.format schema: " + problem);
          }
        }
        items.add(new OutputItem.Message(ids.next("msg"), text));
      }
      case Scenario.Action.RepoSummary r -> {
        RepoSurvey survey = RepoSurvey.of(outputs);
        JsonNode schema = jsonSchema(textFormat);
        String text;
        try {
          text = schema == null
              ? survey.prose()
              : new SchemaInstance(schema, outputs, conversation.prompt(), survey::fact).build().toString();
        } catch (SchemaInstance.Unsatisfiable e) {
          return unsatisfiable(turnIndex, e);
        }
        if (schema != null) {
          String problem = SchemaCheck.problem(schema, parseOrText(text));
          if (problem != null) {
            return new Reply.Unanswerable("scenario '" + scenario.name() + "' turn " + (turnIndex + 1)
                + ": the survey's answer does not conform to text.format schema: " + problem);
          }
        }
        items.add(new OutputItem.Message(ids.next("msg"), text));
      }
    }
    return new Reply.Output(items, turnIndex + 1, turn.latencyMs(), turn.fault());
  }

  private Reply unsatisfiable(int turnIndex, SchemaInstance.Unsatisfiable e) {
    return new Reply.Unanswerable("scenario '" + scenario.name() + "' turn " + (turnIndex + 1)
        + ": no instance satisfies the text.format schema: " + e.getMessage());
  }

  private static String summary(String prompt, List<String> outputs) {
    if (outputs.isEmpty()) {
      return prompt;
    }
    StringBuilder sb = new StringBuilder("Ran ").append(outputs.size()).append(" command(s).");
    sb.append(" Last output:\n").append(head(outputs.get(outputs.size() - 1).strip()));
    return sb.toString();
  }

  /**
   * The first lines of an output, as a model quotes it: a whole output of several KiB as the answer would make the
   * realistic latency profile stream it for seconds, which no real final answer of these scenarios does.
   */
  private static String head(String output) {
    List<String> lines = output.lines().limit(SUMMARY_LINES + 1).toList();
    String head = String.join("\n", lines.subList(0, Math.min(SUMMARY_LINES, lines.size())));
    if (head.length() > SUMMARY_CHARS) {
      head = head.substring(0, SUMMARY_CHARS);
    }
    return head.length() < output.length() ? head + "\n…" : head;
  }

  private static JsonNode parseOrText(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  /** {@code text.format.schema} when the format is {@code json_schema}, else null. */
  static JsonNode jsonSchema(JsonNode textFormat) {
    if (textFormat != null && "json_schema".equals(textFormat.path("type").asText())
        && textFormat.get("schema") != null && textFormat.get("schema").isObject()) {
      return textFormat.get("schema");
    }
    return null;
  }

  private OutputItem shellCall(Scenario.Action.Shell step, JsonNode tools) {
    String command = step.command();
    ObjectNode args = Json.MAPPER.createObjectNode();
    String name;
    JsonNode execCommand = function(tools, "exec_command");
    JsonNode shellCommand = function(tools, "shell_command");
    JsonNode shell = function(tools, "shell");
    if (execCommand != null) {
      name = "exec_command"; // codex: {cmd, workdir?, yield_time_ms?, ...}
      args.put("cmd", command);
    } else if (shellCommand != null) {
      name = "shell_command"; // codex: {command: string, workdir?, timeout_ms?}
      args.put("command", command);
    } else {
      name = "shell";
      JsonNode param = shell == null ? null : shell.path("parameters").path("properties").path("command");
      if (param != null && acceptsString(param) && (step.argv() == null || !acceptsArray(param))) {
        args.put("command", command); // the runner's own shell tool takes a command line
      } else {
        ArrayNode argv = args.putArray("command"); // codex's shell: {command: [argv]}
        (step.argv() != null ? step.argv() : List.of("bash", "-lc", command)).forEach(argv::add);
      }
    }
    return new OutputItem.FunctionCall(ids.next("fc"), ids.next("call"), name, args.toString());
  }

  private OutputItem patchCall(String patch, JsonNode tools) {
    if (tools != null) {
      for (JsonNode t : tools) {
        if ("apply_patch".equals(t.path("name").asText()) && "function".equals(t.path("type").asText())) {
          ObjectNode args = Json.MAPPER.createObjectNode().put("input", patch);
          return new OutputItem.FunctionCall(ids.next("fc"), ids.next("call"), "apply_patch", args.toString());
        }
      }
    }
    return new OutputItem.CustomCall(ids.next("ctc"), ids.next("call"), "apply_patch", patch);
  }

  private static JsonNode function(JsonNode tools, String name) {
    if (tools == null || !tools.isArray()) {
      return null;
    }
    for (JsonNode t : tools) {
      if ("function".equals(t.path("type").asText()) && name.equals(t.path("name").asText())) {
        return t;
      }
    }
    return null;
  }

  private static boolean acceptsString(JsonNode property) {
    return accepts(property, "string");
  }

  private static boolean acceptsArray(JsonNode property) {
    return accepts(property, "array");
  }

  private static boolean accepts(JsonNode property, String type) {
    if (type.equals(property.path("type").asText())) {
      return true;
    }
    if (property.path("type").isArray()) {
      for (JsonNode t : property.path("type")) {
        if (type.equals(t.asText())) {
          return true;
        }
      }
    }
    for (String union : new String[]{"anyOf", "oneOf"}) {
      for (JsonNode b : property.path(union)) {
        if (type.equals(b.path("type").asText())) {
          return true;
        }
      }
    }
    return false;
  }
}
