package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A scripted model: the turns it plays in order. Turn {@code k} (0-based) answers a conversation that already holds
 * {@code k} tool outputs, so the script follows the conversation and not the connection (HTTP full-context and
 * WebSocket incremental requests get the same answers). When the conversation holds more tool outputs than there are
 * turns, the last turn answers again.
 *
 * @param name shown in {@code /v1/models} and logs
 * @param models model ids listed by {@code GET /v1/models} (any model id is accepted in requests)
 * @param turns at least one; the last one should end the conversation ({@link Action.Final} or {@link Action.Fail})
 * @param outputSchema optional JSON Schema the final answer is checked against when the scenario loads
 */
public record Scenario(String name, List<String> models, List<Turn> turns, JsonNode outputSchema) {
  public Scenario {
    Objects.requireNonNull(name, "name");
    models = List.copyOf(models);
    turns = List.copyOf(turns);
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("scenario '" + name + "' has no turns");
    }
  }

  /** The turn that answers a conversation holding {@code toolOutputs} tool outputs. */
  public Turn turnFor(int toolOutputs) {
    return turns.get(Math.min(toolOutputs, turns.size() - 1));
  }

  /**
   * One model turn.
   *
   * @param text commentary message sent before the action (null for none); a turn with only text is a final answer
   * @param action what the model does
   * @param latencyMs extra server time before this turn's first event
   * @param fault a fault kind (see {@link FaultPlan}) injected the first time this turn is reached, or null
   */
  public record Turn(String text, Action action, long latencyMs, String fault) {
    public Turn {
      Objects.requireNonNull(action, "action");
    }
  }

  /** What a turn does. */
  public sealed interface Action {
    /** Calls the client's shell-like tool with {@code command} (a shell command line). */
    record Shell(String command) implements Action {}

    /** Calls the client's {@code apply_patch} tool with {@code patch}. */
    record Patch(String patch) implements Action {}

    /**
     * Answers and ends the conversation. {@code template} is a string or a JSON value whose strings are templates
     * ({@code {{prompt}}}, {@code {{output.N}}}, {@code {{last_output}}}, {@code {{outputs}}}, {@code {{turn}}}); null
     * means "build an answer from the request's {@code text.format} schema, or a plain summary without one".
     */
    record Final(JsonNode template) implements Action {}

    /** Fails the response ({@code response.failed}) with this error code and message. */
    record Fail(String code, String message) implements Action {}
  }
}
