package dev.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Base64;

/**
 * What the model and the reports get of an MCP tool's answer, as codex gives it: the structured content as JSON text
 * when the server sent any, else the content blocks as a JSON array. Binary blocks (images, audio, embedded blobs) go
 * as references: their type, MIME type and decoded size instead of kilobytes of base64 that the model cannot read in
 * a function output and that truncation would cut in half.
 */
final class CallResults {
  private CallResults() {}

  /** {@code {content: [...], structured_content}} with binary data replaced by references. */
  static ObjectNode result(McpSchema.CallToolResult answer) {
    ObjectNode result = Mcp.JSON.createObjectNode();
    ArrayNode content = result.putArray("content");
    if (answer.content() != null) {
      for (McpSchema.Content block : answer.content()) {
        content.add(referenced(Mcp.JSON.valueToTree(block)));
      }
    }
    Object structured = answer.structuredContent();
    if (structured == null) {
      result.putNull("structured_content");
    } else {
      result.set("structured_content", Mcp.JSON.valueToTree(structured));
    }
    return result;
  }

  /** The text for {@code function_call_output}, before truncation. */
  static String outputText(ObjectNode result) {
    JsonNode structured = result.get("structured_content");
    return structured != null && !structured.isNull() ? structured.toString() : result.get("content").toString();
  }

  private static JsonNode referenced(JsonNode block) {
    if (!(block instanceof ObjectNode o)) {
      return block;
    }
    if (o.path("data").isTextual()) {
      o.put("data", reference(o.path("type").asText("binary"), o.path("mimeType").asText(""),
          o.get("data").asText()));
    }
    if (o.get("resource") instanceof ObjectNode resource && resource.path("blob").isTextual()) {
      resource.put("blob", reference("blob", resource.path("mimeType").asText(""), resource.get("blob").asText()));
    }
    return o;
  }

  private static String reference(String type, String mimeType, String base64) {
    long bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", "")).length;
    } catch (IllegalArgumentException e) {
      bytes = -1;
    }
    return "[" + type + (mimeType.isEmpty() ? "" : " " + mimeType)
        + (bytes >= 0 ? ", " + bytes + " bytes" : ", undecodable base64") + ", not shown]";
  }
}
