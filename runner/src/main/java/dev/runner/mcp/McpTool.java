package dev.runner.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.tools.ProgramSessions;
import dev.runner.tools.Tool;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolResult;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One MCP server tool offered to the model as a function tool. A call is bounded by the server's {@code
 * tool_timeout_sec} and the run's deadline; its answer becomes the function output (cut like shell output) and a
 * {@link ToolResult.McpCall} for the reports. Never throws for anything the model or the server did.
 */
final class McpTool implements Tool {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private final McpServer server;
  private final String tool;
  private final String name;
  private final String description;
  private final JsonNode originalSchema;
  private final InputSchemas.Parameters parameters;

  McpTool(McpServer server, McpSchema.Tool tool, String name) throws InputSchemas.Malformed {
    this.server = server;
    this.tool = tool.name();
    this.name = name;
    this.parameters = InputSchemas.parameters(tool.inputSchema());
    this.originalSchema = Mcp.JSON.valueToTree(tool.inputSchema());
    String text = tool.description() != null ? tool.description() : tool.title();
    this.description = text != null ? text : "Tool " + tool.name() + " of MCP server " + server.config().name();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ObjectNode definition() {
    ObjectNode d = Mcp.JSON.createObjectNode();
    d.put("type", "function").put("name", name).put("description", description)
        .put("strict", parameters.strict());
    d.set("parameters", parameters.schema().deepCopy());
    return d;
  }

  @Override
  public ToolResult run(ToolCall call, ToolContext context) {
    long start = System.nanoTime();
    String serverName = server.config().name();
    JsonNode arguments;
    try {
      arguments = call.arguments().isBlank() ? Mcp.JSON.createObjectNode() : Mcp.JSON.readTree(call.arguments());
    } catch (JsonProcessingException e) {
      arguments = null;
    }
    if (arguments == null || !arguments.isObject()) {
      String message = "arguments must be a JSON object, got: " + shorten(call.arguments());
      return failed(call, serverName, Mcp.JSON.createObjectNode(), message, start);
    }
    JsonNode sent = parameters.strict() ? InputSchemas.withoutAddedNulls(arguments, originalSchema) : arguments;
    context.listener().mcpCallStarted(call.callId(), serverName, tool, sent);
    Duration bound = server.config().toolTimeout();
    Duration left = context.remaining();
    boolean deadlineFirst = left.compareTo(bound) < 0;
    if (deadlineFirst) {
      bound = left.isNegative() ? Duration.ZERO : left;
    }
    McpSchema.CallToolResult answer;
    try {
      answer = server.call(tool, Mcp.JSON.convertValue(sent, MAP), bound);
    } catch (TimeoutException e) {
      return failed(call, serverName, sent, deadlineFirst
          ? "no answer before the run's deadline (--timeout)"
          : "no answer within " + McpServers.seconds(server.config().toolTimeout()) + " s (tool_timeout_sec)", start);
    } catch (IOException e) {
      return failed(call, serverName, sent, e.getMessage(), start);
    }
    ObjectNode result = CallResults.result(answer);
    String output = ProgramSessions.truncate(CallResults.outputText(result), context.toolOutputTokenLimit());
    boolean success = !Boolean.TRUE.equals(answer.isError());
    return new ToolResult(call.callId(), output, success, since(start),
        new ToolResult.McpCall(serverName, tool, sent, result, null));
  }

  private ToolResult failed(ToolCall call, String serverName, JsonNode arguments, String message, long start) {
    String text = "MCP tool " + serverName + "/" + tool + " failed: " + message;
    return new ToolResult(call.callId(), text, false, since(start),
        new ToolResult.McpCall(serverName, tool, arguments, null, message));
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static String shorten(String s) {
    return s.length() <= 200 ? s : s.substring(0, 199) + "…";
  }
}
