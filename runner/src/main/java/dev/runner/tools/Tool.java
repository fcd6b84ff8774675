package dev.runner.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool the model may call. Implementations are stateless and thread-safe: one turn's calls may
 * run concurrently.
 */
public interface Tool {
  /** The name the model calls the tool by. */
  String name();

  /**
   * The Responses-API function tool: {@code {type:"function", name, description, strict:true,
   * parameters}} where {@code parameters} is a strict-mode JSON schema. Returns a fresh node each
   * time; callers may modify it.
   */
  ObjectNode definition();

  /**
   * Runs one call. Never throws for anything the model sent: malformed arguments, refused paths,
   * failing commands all come back as a result with {@code success=false} and a text that says
   * what was wrong.
   */
  ToolResult run(ToolCall call, ToolContext context);

  /**
   * True when a call of this tool must not overlap any other call of the same turn: the calls
   * before it finish first and the calls after it wait for it. False by default, so calls run
   * concurrently when the model allows parallel tool calls.
   */
  default boolean runsAlone() {
    return false;
  }
}
