package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole conversation as the server sees it after resolving {@code previous_response_id}: the parent's items, its
 * output, then the new input, as wire JSON.
 *
 * @param items input and output items in order
 * @param bytes rendered size of the items (plus instructions and tools) in bytes, the base of token estimates
 */
record Conversation(List<JsonNode> items, long bytes) {
  Conversation {
    items = List.copyOf(items);
  }

  /** Outputs of function and custom tool calls, in order. */
  List<String> toolOutputs() {
    List<String> out = new ArrayList<>();
    for (JsonNode i : items) {
      String type = i.path("type").asText();
      if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
        out.add(text(i.get("output")));
      }
    }
    return out;
  }

  /** The text of the last user message, the task. */
  String prompt() {
    for (int k = items.size() - 1; k >= 0; k--) {
      JsonNode i = items.get(k);
      if ("user".equals(i.path("role").asText())) {
        return text(i.get("content"));
      }
    }
    return "";
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isTextual()) {
      return v.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : v) {
      if (p.hasNonNull("text")) {
        sb.append(p.get("text").asText());
      }
    }
    return sb.toString();
  }
}
