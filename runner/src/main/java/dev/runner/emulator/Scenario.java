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
 * @param turns at least one; the last one should end the conversation ({@link Action.Final}, {@link Action.Fail} or
 *     {@link Action.RepoSummary})
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
   * @param reasoning summary of a reasoning item sent first (with opaque {@code encrypted_content}, as a reasoning
   *     model's output is), or null for none
   */
  public record Turn(String text, Action action, long latencyMs, String fault, String reasoning) {
    public Turn {
      Objects.requireNonNull(action, "action");
    }

    /** A turn without a reasoning item. */
    public Turn(String text, Action action, long latencyMs, String fault) {
      this(text, action, latencyMs, fault, null);
    }
  }

  /** What a turn does. */
  public sealed interface Action {
    /**
     * Calls the client's shell-like tool. {@code command} is the shell command line sent to tools that take a string
     * (codex's {@code exec_command} runs it in a login shell); {@code argv}, when not null, is sent instead to tools
     * that take an argv, the way models trained on codex call them ({@code ["bash", "-lc", command]}).
     */
    record Shell(String command, List<String> argv) implements Action {
      public Shell {
        Objects.requireNonNull(command, "command");
        argv = argv == null ? null : List.copyOf(argv);
      }

      /** A command line, sent as a string even to tools that take an argv. */
      public Shell(String command) {
        this(command, null);
      }

      /** {@code script} as a real model sends it: argv {@code bash -lc script}, or the script to string tools. */
      public static Shell login(String script) {
        return new Shell(script, List.of("bash", "-lc", script));
      }
    }

    /**
     * Answers and ends the conversation with what the {@code demo} scenario's commands found about the working
     * directory (see {@link RepoSurvey}): a JSON instance of the request's {@code text.format} schema whose
     * {@code summary}, {@code file_count}, {@code files} and {@code languages}-like properties hold those findings,
     * or a few sentences without a schema.
     */
    record RepoSummary() implements Action {}

    /** Calls the client's {@code apply_patch} tool with {@code patch}. */
    record Patch(String patch) implements Action {}

    /**
     * Calls the client's {@code update_plan} tool with {@code arguments} ({@code {explanation?, plan:[{step,
     * status}]}}), as codex-trained models do before and while they work.
     */
    record UpdatePlan(JsonNode arguments) implements Action {
      public UpdatePlan {
        Objects.requireNonNull(arguments, "arguments");
      }
    }

    /**
     * Calls the tool named {@code tool} (any tool, such as an MCP server's {@code mcp__docs__search}) with {@code
     * arguments}, whose strings are templates like a final answer's. The name is sent as written, offered or not: a
     * model may guess a name, and the client must cope.
     */
    record Call(String tool, JsonNode arguments) implements Action {
      public Call {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
      }
    }

    /**
     * Answers and ends the conversation. {@code template} is a string or a JSON value whose strings are templates
     * ({@code {{prompt}}}, {@code {{output.N}}}, {@code {{last_output}}}, {@code {{outputs}}}, {@code {{turn}}}); null
     * means "build an answer from the request's {@code text.format} schema, or a plain summary without one".
     */
    record Final(JsonNode template, boolean checked) implements Action {
      /** A final answer checked against the request's {@code text.format} schema. */
      Final(JsonNode template) {
        this(template, true);
      }
    }

    /**
     * Refuses the request before any event, as a gateway or the service does: HTTP gets {@code status} with
     * {@code body} as {@code contentType}; WebSocket gets an {@code error} event with the same status and message.
     */
    record HttpError(int status, String contentType, JsonNode body) implements Action {
      public HttpError {
        Objects.requireNonNull(body, "body");
        if (status < 400 || status > 599) {
          throw new IllegalArgumentException("http_error status must be 400..599, was " + status);
        }
      }
    }

    /** Fails the response ({@code response.failed}) with this error code and message. */
    record Fail(String code, String message) implements Action {}
  }
}
