package dev.runner.tools;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a tool call produced: the text sent back to the model as {@code function_call_output} and
 * the facts the report needs.
 *
 * @param callId the call's id
 * @param output the text for the model (already cut to the token limit)
 * @param success false when the call failed: bad arguments, a non-zero exit, a patch that did not
 *     apply
 * @param duration how long the call took
 * @param detail what kind of call it was, with its facts
 */
public record ToolResult(
    String callId, String output, boolean success, Duration duration, Detail detail) {

  public ToolResult {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(detail, "detail");
  }

  /** A call refused before it ran: unknown tool or arguments that did not parse or validate. */
  static ToolResult rejected(ToolCall call, String message, Duration duration) {
    return new ToolResult(call.callId(), message, false, duration, new Rejected(message));
  }

  /** True when the call was refused as unknown or malformed. */
  public boolean rejected() {
    return detail instanceof Rejected;
  }

  /** The facts of one call; the report switches over these. */
  public sealed interface Detail permits Rejected, CommandRun, PatchApplied, PlanUpdated, McpCall {}

  /** The call never ran: unknown tool name or malformed arguments. */
  public record Rejected(String reason) implements Detail {}

  /**
   * A shell command ran (or failed to start).
   *
   * @param command the command as one line of text, for progress output
   * @param exitCode the exit code; 124 after a timeout, 127 when the program was not found
   * @param timedOut true when the command was killed for running past its timeout or the deadline
   * @param aggregatedOutput stdout and stderr merged in arrival order, cut to the token limit
   */
  public record CommandRun(String command, int exitCode, boolean timedOut, String aggregatedOutput)
      implements
        Detail {}

  /**
   * A patch was parsed and applied, or refused.
   *
   * @param changes the files changed; empty when the patch was refused (then nothing was written)
   */
  public record PatchApplied(List<FileChange> changes) implements Detail {
    public PatchApplied {
      changes = List.copyOf(changes);
    }
  }

  /**
   * A tool of an MCP server was called; as codex's {@code mcp_tool_call} item reports it.
   *
   * @param server the server's name in {@code [mcp_servers.NAME]}
   * @param tool the tool's name on that server
   * @param arguments the arguments sent (an object)
   * @param result {@code {content: [...], structured_content}} as the server answered (images as references), or
   *     {@code null} when the call failed without an answer
   * @param error why the call failed without an answer (timeout, server gone), or {@code null}
   */
  public record McpCall(String server, String tool, com.fasterxml.jackson.databind.JsonNode arguments,
      com.fasterxml.jackson.databind.JsonNode result, String error) implements Detail {
    public McpCall {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /**
   * The model replaced its plan.
   *
   * @param explanation the model's note, or {@code null}
   * @param items the whole new plan
   */
  public record PlanUpdated(String explanation, List<PlanItem> items) implements Detail {
    public PlanUpdated {
      items = List.copyOf(items);
    }
  }
}
