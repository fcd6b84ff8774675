package dev.runner.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A conversation item as it crosses the wire: in a request's {@code input} or a response's {@code output}. Item types
 * this model does not know travel as {@link Other} with their JSON untouched, so they round-trip (the service adds
 * types often).
 */
public sealed interface Item {
  /** The wire {@code type}. */
  String type();

  /** One text part of a message: {@code input_text}, {@code output_text}, {@code refusal}, ... */
  record Content(String type, String text) {
    public static Content inputText(String text) {
      return new Content("input_text", text);
    }

    public static Content outputText(String text) {
      return new Content("output_text", text);
    }
  }

  /** {@code {type:"message", role, content:[...]}}; id and status are absent on client-built input. */
  record Message(String id, String role, List<Content> content, String status) implements Item {
    public Message {
      content = List.copyOf(content);
    }

    public static Message user(String text) {
      return new Message(null, "user", List.of(Content.inputText(text)), null);
    }

    public static Message developer(String text) {
      return new Message(null, "developer", List.of(Content.inputText(text)), null);
    }

    /** All text parts joined: the message as a reader sees it. */
    public String text() {
      StringBuilder sb = new StringBuilder();
      for (Content c : content) {
        if (c.text() != null) {
          sb.append(c.text());
        }
      }
      return sb.toString();
    }

    @Override
    public String type() {
      return "message";
    }
  }

  /** The model calling a function tool; {@code arguments} is a JSON document as a string. */
  record FunctionCall(String id, String callId, String name, String arguments, String status) implements Item {
    @Override
    public String type() {
      return "function_call";
    }
  }

  /** A function tool's result, sent back as input. */
  record FunctionCallOutput(String callId, String output) implements Item {
    @Override
    public String type() {
      return "function_call_output";
    }
  }

  /** The model calling a freeform (custom) tool with raw text input. */
  record CustomToolCall(String id, String callId, String name, String input) implements Item {
    @Override
    public String type() {
      return "custom_tool_call";
    }
  }

  /** A custom tool's result, sent back as input. */
  record CustomToolCallOutput(String callId, String output) implements Item {
    @Override
    public String type() {
      return "custom_tool_call_output";
    }
  }

  /**
   * Reasoning: summary texts plus the opaque {@code encrypted_content} that must be sent back unchanged when the
   * conversation is not stored server-side.
   */
  record Reasoning(String id, List<String> summary, String encryptedContent) implements Item {
    public Reasoning {
      summary = List.copyOf(summary);
    }

    @Override
    public String type() {
      return "reasoning";
    }
  }

  /** Server-side compaction: everything before it is summarized in the opaque {@code encrypted_content}. */
  record Compaction(String id, String encryptedContent) implements Item {
    @Override
    public String type() {
      return "compaction";
    }
  }

  /** Any other item type, kept verbatim. */
  record Other(String type, ObjectNode json) implements Item {}
}
