package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Loads a {@link Scenario}: a built-in by name ({@code echo}, {@code demo}, {@code tools:N}, {@code explore:N}) or a
 * JSON file described
 * by {@code schemas/scenario.schema.json}. Every problem is an {@link IllegalArgumentException} naming the file and
 * the JSON path at fault.
 */
public final class ScenarioLoader {
  private static final Set<String> TURN_FIELDS = Set.of("text", "shell", "patch", "update_plan", "call", "final",
      "fail",
      "http_error", "reasoning", "latency_ms", "fault");
  private static final List<String> MODELS = List.of("emulator", "gpt-5-emulated", "mock-model");

  private ScenarioLoader() {}

  /** A built-in name or a path to a scenario file. */
  public static Scenario load(String nameOrFile) {
    String n = nameOrFile.trim();
    if (n.equals("echo")) {
      return new Scenario("echo", MODELS, List.of(new Scenario.Turn(null, new Scenario.Action.Final(
          TextNode.valueOf("{{prompt}}")), 0, null)), null);
    }
    if (n.equals("demo")) {
      return demo();
    }
    if (n.startsWith("tools:")) {
      return tools(n.substring("tools:".length()));
    }
    if (n.startsWith("explore:")) {
      return explore(n.substring("explore:".length()));
    }
    Path file = Path.of(n);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("scenario '" + n
          + "' is neither a built-in (echo, demo, tools:N, explore:N) nor a readable file");
    }
    try {
      return parse(Json.MAPPER.readTree(file.toFile()), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("scenario file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A few real, read-only commands that survey the working directory ({@link RepoSurvey#COMMANDS}), then an answer
   * made of what they found: a summary, the file count, the files to read first and the languages by extension.
   */
  private static Scenario demo() {
    List<Scenario.Turn> turns = new ArrayList<>();
    String text = "Looking at the working directory.";
    for (String command : RepoSurvey.COMMANDS) {
      turns.add(new Scenario.Turn(text, new Scenario.Action.Shell(command), 0, null));
      text = null;
    }
    turns.add(new Scenario.Turn(null, new Scenario.Action.RepoSummary(), 0, null));
    return new Scenario("demo", MODELS, turns, null);
  }

  /** {@code tools:N}: N sequential {@code echo step K} calls, then a final answer (the cheapest possible tool). */
  private static Scenario tools(String count) {
    int n = callCount("tools", count);
    List<Scenario.Turn> turns = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      turns.add(new Scenario.Turn(null, new Scenario.Action.Shell("echo step " + k), 0, null));
    }
    turns.add(new Scenario.Turn(null, new Scenario.Action.Final(null), 0, null));
    return new Scenario("tools:" + n, MODELS, turns, null);
  }

  /**
   * {@code explore:N}: N calls the way a model explores a git checkout ({@link ExploreCommands}: login-shell argv,
   * commands that list and read the checkout's files, outputs of a few KiB), then an answer; the benchmark's session.
   */
  private static Scenario explore(String count) {
    int n = callCount("explore", count);
    List<Scenario.Turn> turns = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      turns.add(new Scenario.Turn(null, Scenario.Action.Shell.login(ExploreCommands.command(k)), 0, null));
    }
    turns.add(new Scenario.Turn(null, new Scenario.Action.Final(null), 0, null));
    return new Scenario("explore:" + n, MODELS, turns, null);
  }

  private static int callCount(String kind, String count) {
    int n;
    try {
      n = Integer.parseInt(count);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("scenario '" + kind + ":" + count + "' needs a number of tool calls, e.g. "
          + kind + ":20", e);
    }
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException("scenario " + kind + ":" + n + " must have 0..10000 tool calls");
    }
    return n;
  }

  /** Parses a scenario document; {@code where} names it in errors. */
  public static Scenario parse(JsonNode doc, String where) {
    if (doc == null || !doc.isObject()) {
      throw new IllegalArgumentException(where + ": a scenario must be a JSON object");
    }
    String name = doc.path("name").asText(where);
    List<String> models = new ArrayList<>();
    if (doc.has("models")) {
      for (JsonNode m : doc.get("models")) {
        models.add(m.asText());
      }
    }
    JsonNode turnsNode = doc.get("turns");
    if (turnsNode == null || !turnsNode.isArray() || turnsNode.isEmpty()) {
      throw new IllegalArgumentException(where + ": 'turns' must be a non-empty array");
    }
    List<Scenario.Turn> turns = new ArrayList<>();
    for (int i = 0; i < turnsNode.size(); i++) {
      turns.add(turn(turnsNode.get(i), where + " turns[" + i + "]"));
    }
    JsonNode schema = doc.get("output_schema");
    Scenario s = new Scenario(name, models.isEmpty() ? MODELS : models, turns, schema);
    if (schema != null) {
      checkFinalsAgainst(s, schema, where);
    }
    return s;
  }

  private static Scenario.Turn turn(JsonNode t, String where) {
    if (!t.isObject()) {
      throw new IllegalArgumentException(where + ": a turn must be an object");
    }
    for (Iterator<String> it = t.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!TURN_FIELDS.contains(f)) {
        throw new IllegalArgumentException(where + ": unknown field '" + f + "' (allowed: " + TURN_FIELDS + ")");
      }
    }
    String text = t.hasNonNull("text") ? t.get("text").asText() : null;
    long latency = t.path("latency_ms").asLong(0);
    String fault = t.hasNonNull("fault") ? t.get("fault").asText() : null;
    if (fault != null) {
      FaultKind.of(fault); // fail at load time, not at the turn
    }
    List<Scenario.Action> actions = new ArrayList<>();
    if (t.has("shell")) {
      actions.add(new Scenario.Action.Shell(t.get("shell").asText()));
    }
    if (t.has("patch")) {
      actions.add(new Scenario.Action.Patch(t.get("patch").asText()));
    }
    if (t.has("update_plan")) {
      actions.add(new Scenario.Action.UpdatePlan(updatePlan(t.get("update_plan"), where)));
    }
    if (t.has("call")) {
      actions.add(call(t.get("call"), where));
    }
    if (t.has("final")) {
      JsonNode f = t.get("final");
      actions.add(new Scenario.Action.Final(f.isNull() ? null : f));
    }
    if (t.has("http_error")) {
      JsonNode h = t.get("http_error");
      if (!h.isObject() || !h.path("status").isInt() || !h.has("body")) {
        throw new IllegalArgumentException(where + ": 'http_error' needs {status: 400..599, body, content_type?}");
      }
      actions.add(new Scenario.Action.HttpError(h.get("status").asInt(), h.path("content_type")
          .asText("application/json"), h.get("body")));
    }
    if (t.has("fail")) {
      JsonNode f = t.get("fail");
      actions.add(new Scenario.Action.Fail(f.path("code").asText("server_error"),
          f.path("message").asText("The scripted model failed this turn.")));
    }
    String reasoning = t.hasNonNull("reasoning") ? t.get("reasoning").asText() : null;
    if (actions.isEmpty() && text != null) {
      // Text alone is sent as written, unchecked: the way to script a schema violation for a client's repair logic.
      return new Scenario.Turn(null, new Scenario.Action.Final(TextNode.valueOf(text), false), latency, fault,
          reasoning);
    }
    if (actions.size() != 1) {
      throw new IllegalArgumentException(where
          + ": a turn needs exactly one of shell, patch, update_plan, call, final, fail, http_error (or only text)");
    }
    return new Scenario.Turn(text, actions.get(0), latency, fault, reasoning);
  }

  /**
   * {@code update_plan}'s arguments: a plan array ({@code [{step, status}]}) or the whole object ({@code {explanation,
   * plan}}); each step needs a string {@code step} and a {@code status} the tool accepts.
   */
  private static JsonNode updatePlan(JsonNode value, String where) {
    com.fasterxml.jackson.databind.node.ObjectNode args;
    if (value.isArray()) {
      args = Json.MAPPER.createObjectNode();
      args.set("plan", value);
    } else if (value.isObject() && value.path("plan").isArray()) {
      args = (com.fasterxml.jackson.databind.node.ObjectNode) value;
    } else {
      throw new IllegalArgumentException(where + ": 'update_plan' must be an array of {step, status} or an object "
          + "{explanation, plan: [...]}");
    }
    JsonNode plan = args.get("plan");
    for (int i = 0; i < plan.size(); i++) {
      JsonNode step = plan.get(i);
      String status = step.path("status").asText("");
      if (!step.path("step").isTextual() || !Set.of("pending", "in_progress", "completed").contains(status)) {
        throw new IllegalArgumentException(where + ": update_plan step " + i + " needs a string 'step' and a "
            + "'status' of pending, in_progress or completed, got " + step);
      }
    }
    return args;
  }

  private static Scenario.Action.Call call(JsonNode c, String where) {
    String tool = c.path("tool").asText("");
    if (!c.isObject() || tool.isBlank()) {
      throw new IllegalArgumentException(where + ".call: needs a non-empty string \"tool\"");
    }
    for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!f.equals("tool") && !f.equals("arguments")) {
        throw new IllegalArgumentException(where + ".call: unknown field '" + f + "' (allowed: tool, arguments)");
      }
    }
    JsonNode arguments = c.has("arguments") ? c.get("arguments") : Json.MAPPER.createObjectNode();
    if (!arguments.isObject()) {
      throw new IllegalArgumentException(where + ".call.arguments: expected an object");
    }
    return new Scenario.Action.Call(tool, arguments);
  }

  private static void checkFinalsAgainst(Scenario s, JsonNode schema, String where) {
    Templates sample = new Templates("prompt", List.of("output"));
    for (int i = 0; i < s.turns().size(); i++) {
      if (s.turns().get(i).action() instanceof Scenario.Action.Final f && f.template() != null) {
        String problem = SchemaCheck.problem(schema, sample.renderJson(f.template()));
        if (problem != null) {
          throw new IllegalArgumentException(where + " turns[" + i + "]: final answer does not conform to "
              + "output_schema: " + problem);
        }
      }
    }
  }
}
