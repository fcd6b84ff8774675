package dev.runner.tools;

/**
 * Progress callbacks from tools, for live output and JSONL items. Calls of one turn may run
 * concurrently, so implementations must be thread-safe. A listener that throws does not fail the
 * tool call: the exception is logged and dropped.
 */
public interface ToolListener {
  /** A listener that ignores everything. */
  ToolListener NONE = new ToolListener() {
  };

  /** A shell command is about to start; {@code command} is its text as shown to users. */
  default void commandStarted(String callId, String command) {}

  /** A shell command finished (or failed to start); its result carries a {@code CommandRun}. */
  default void commandFinished(ToolResult result) {}

  /** The model replaced its plan. */
  default void planUpdated(String callId, ToolResult.PlanUpdated plan) {}

  /**
   * A call of an MCP server's tool is about to be sent; its result (a {@code McpCall}) arrives through the loop's
   * {@code toolFinished}.
   *
   * @param server the server's name in {@code [mcp_servers.NAME]}
   * @param tool the tool's name on that server
   * @param arguments the arguments as sent
   */
  default void mcpCallStarted(String callId, String server, String tool,
      com.fasterxml.jackson.databind.JsonNode arguments) {}
}
