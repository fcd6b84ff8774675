package dev.runner.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;

/** An item the scripted model produces, as it appears in {@code output} and {@code output_item.done}. */
sealed interface OutputItem {
  String id();

  /** The finished item's JSON (status {@code completed}). */
  ObjectNode toJson();

  /** Estimated output tokens (~4 bytes each, at least 1). */
  long tokens();

  /** An assistant message with one {@code output_text} part. */
  record Message(String id, String text) implements OutputItem {
    @Override
    public ObjectNode toJson() {
      ObjectNode m = Json.MAPPER.createObjectNode();
      m.put("id", id).put("type", "message").put("status", "completed").put("role", "assistant");
      m.putArray("content").add(part(text));
      return m;
    }

    static ObjectNode part(String text) {
      ObjectNode p = Json.MAPPER.createObjectNode();
      p.put("type", "output_text");
      p.putArray("annotations");
      p.putArray("logprobs");
      p.put("text", text);
      return p;
    }

    @Override
    public long tokens() {
      return Math.max(1, text.length() / 4);
    }
  }

  /** A function tool call; {@code arguments} is a JSON document as a string. */
  record FunctionCall(String id, String callId, String name, String arguments) implements OutputItem {
    @Override
    public ObjectNode toJson() {
      ObjectNode f = Json.MAPPER.createObjectNode();
      f.put("id", id).put("type", "function_call").put("status", "completed").put("arguments", arguments)
          .put("call_id", callId).put("name", name);
      return f;
    }

    @Override
    public long tokens() {
      return Math.max(1, arguments.length() / 4);
    }
  }

  /** A freeform (custom) tool call such as codex's {@code apply_patch}. */
  record CustomCall(String id, String callId, String name, String input) implements OutputItem {
    @Override
    public ObjectNode toJson() {
      ObjectNode c = Json.MAPPER.createObjectNode();
      c.put("id", id).put("type", "custom_tool_call").put("status", "completed").put("call_id", callId)
          .put("name", name).put("input", input);
      return c;
    }

    @Override
    public long tokens() {
      return Math.max(1, input.length() / 4);
    }
  }

  /** A reasoning item: one summary text and the opaque {@code encrypted_content} a client must send back. */
  record Reasoning(String id, String summary, String encryptedContent) implements OutputItem {
    @Override
    public ObjectNode toJson() {
      ObjectNode r = Json.MAPPER.createObjectNode();
      r.put("id", id).put("type", "reasoning");
      r.putArray("summary").addObject().put("type", "summary_text").put("text", summary);
      r.put("encrypted_content", encryptedContent);
      return r;
    }

    @Override
    public long tokens() {
      return Math.max(1, (summary.length() + encryptedContent.length()) / 4);
    }
  }

  /** A compaction item: the conversation before it, summarized in the opaque {@code encrypted_content}. */
  record Compaction(String id, String encryptedContent) implements OutputItem {
    @Override
    public ObjectNode toJson() {
      return Json.MAPPER.createObjectNode().put("id", id).put("type", "compaction")
          .put("encrypted_content", encryptedContent);
    }

    @Override
    public long tokens() {
      return Math.max(1, encryptedContent.length() / 4);
    }
  }
}
