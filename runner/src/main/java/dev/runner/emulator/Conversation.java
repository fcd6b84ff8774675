package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole conversation as the server sees it after resolving {@code previous_response_id}: the parent's items, its
 * output, then the new input, as wire JSON. Everything before the latest compaction item is what that item summarizes,
 * so the task and the tool outputs are read from the item's {@link CompactionSummary} plus what follows it.
 *
 * @param items input and output items in order
 * @param bytes rendered size of the items (plus instructions and tools) in bytes, the base of token estimates
 */
record Conversation(List<JsonNode> items, long bytes) {
  Conversation {
    items = List.copyOf(items);
  }

  /**
   * Outputs of function and custom tool calls, in order, as the command printed them: the {@code Exit code: / Wall
   * time: / Output:} header that codex and runner put around shell output (codex's {@code exec_command}: {@code Chunk
   * ID: / Wall time: / Process exited with code / Output:}) is removed, so answers built from outputs do not depend on
   * timings.
   */
  List<String> toolOutputs() {
    int from = lastCompaction();
    List<String> out = new ArrayList<>(from < 0 ? List.of() : summary(from).outputs());
    for (JsonNode i : items.subList(from + 1, items.size())) {
      String type = i.path("type").asText();
      if (type.equals("function_call_output") || type.equals("custom_tool_call_output")) {
        out.add(commandOutput(text(i.get("output"))));
      }
    }
    return out;
  }

  static String commandOutput(String toolOutput) {
    String marker = "\nOutput:\n";
    int at = toolOutput.indexOf(marker);
    boolean header = toolOutput.startsWith("Exit code:") || toolOutput.startsWith("Total output lines:")
        || toolOutput.startsWith("Chunk ID:");
    if (header && at >= 0) {
      return toolOutput.substring(at + marker.length());
    }
    return toolOutput;
  }

  /** The text of the last user message, the task (the summarized one when none follows the latest compaction). */
  String prompt() {
    int from = lastCompaction();
    for (int k = items.size() - 1; k > from; k--) {
      JsonNode i = items.get(k);
      if ("user".equals(i.path("role").asText())) {
        return text(i.get("content"));
      }
    }
    return from < 0 ? "" : summary(from).prompt();
  }

  /** What a compaction item made now would hold. */
  CompactionSummary summarize() {
    return new CompactionSummary(prompt(), toolOutputs());
  }

  private int lastCompaction() {
    return CompactionSummary.lastIn(items);
  }

  private CompactionSummary summary(int index) {
    return CompactionSummary.decode(items.get(index).path("encrypted_content").asText(null));
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
