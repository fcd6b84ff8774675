package dev.runner.tools;

import java.util.Objects;

/**
 * One function call the model asked for.
 *
 * @param callId the model's {@code call_id}, echoed in the result
 * @param name the tool name
 * @param arguments the raw JSON text the model sent; it may be malformed, tools report that back to
 *     the model instead of throwing
 */
public record ToolCall(String callId, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(name, "name");
    arguments = arguments == null ? "" : arguments;
  }
}
