package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Items to and from wire JSON. Reading never fails on unknown types or fields; missing strings read as null. */
public final class ItemCodec {
  private ItemCodec() {}

  public static Item read(JsonNode node) {
    String type = text(node, "type");
    if (type == null && node.has("role")) {
      type = "message"; // EasyInputMessage: {role, content} without a type
    }
    if (type == null) {
      return new Item.Other("", node.isObject() ? (ObjectNode) node : Json.MAPPER.createObjectNode());
    }
    return switch (type) {
      case "message" -> new Item.Message(text(node, "id"), text(node, "role"), contents(node.get("content")),
          text(node, "status"));
      case "function_call" -> new Item.FunctionCall(text(node, "id"), text(node, "call_id"), text(node, "name"),
          text(node, "arguments"), text(node, "status"));
      case "function_call_output" -> new Item.FunctionCallOutput(text(node, "call_id"), outputText(node.get("output")));
      case "custom_tool_call" -> new Item.CustomToolCall(text(node, "id"), text(node, "call_id"), text(node, "name"),
          text(node, "input"));
      case "custom_tool_call_output" -> new Item.CustomToolCallOutput(text(node, "call_id"),
          outputText(node.get("output")));
      case "reasoning" -> new Item.Reasoning(text(node, "id"), summaries(node.get("summary")),
          text(node, "encrypted_content"));
      case "compaction" -> new Item.Compaction(text(node, "id"), text(node, "encrypted_content"));
      default -> new Item.Other(type, (ObjectNode) node);
    };
  }

  public static List<Item> readAll(JsonNode array) {
    List<Item> items = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode n : array) {
        items.add(read(n));
      }
    } else if (array != null && array.isTextual()) {
      items.add(Item.Message.user(array.asText())); // input may be a plain string
    }
    return items;
  }

  public static ObjectNode toJson(Item item) {
    try (com.fasterxml.jackson.databind.util.TokenBuffer buffer = new com.fasterxml.jackson.databind.util.TokenBuffer(
        Json.MAPPER, false)) {
      write(buffer, item);
      return Json.MAPPER.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new IllegalStateException("item did not serialize: " + item.type(), e);
    }
  }

  public static ArrayNode toJson(List<Item> items) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Item i : items) {
      array.add(toJson(i));
    }
    return array;
  }

  /** Writes {@code item} as one JSON object; null fields are left out. */
  public static void write(JsonGenerator g, Item item) throws IOException {
    // instanceof rather than a pattern switch: see ConfigSchema.walk (this one is on the first request's path)
    if (item instanceof Item.Other o) {
      g.writeTree(o.json());
    } else if (item instanceof Item.Message m) {
      g.writeStartObject();
      g.writeStringField("type", "message");
      field(g, "id", m.id());
      field(g, "role", m.role());
      g.writeArrayFieldStart("content");
      for (Item.Content c : m.content()) {
        g.writeStartObject();
        g.writeStringField("type", c.type());
        if ("refusal".equals(c.type())) {
          field(g, "refusal", c.text()); // RefusalContent carries its text under "refusal"
        } else {
          field(g, "text", c.text());
        }
        if ("output_text".equals(c.type())) {
          // OutputTextContent requires both arrays: a replayed assistant message without them is refused by a strict
          // gateway. What the model annotated is not kept, so the replay says "none".
          g.writeArrayFieldStart("annotations");
          g.writeEndArray();
          g.writeArrayFieldStart("logprobs");
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      field(g, "status", m.status());
      g.writeEndObject();
    } else if (item instanceof Item.FunctionCall f) {
      g.writeStartObject();
      g.writeStringField("type", "function_call");
      field(g, "id", f.id());
      field(g, "call_id", f.callId());
      field(g, "name", f.name());
      field(g, "arguments", f.arguments());
      field(g, "status", f.status());
      g.writeEndObject();
    } else if (item instanceof Item.FunctionCallOutput f) {
      g.writeStartObject();
      g.writeStringField("type", "function_call_output");
      field(g, "call_id", f.callId());
      field(g, "output", f.output());
      g.writeEndObject();
    } else if (item instanceof Item.CustomToolCall c) {
      g.writeStartObject();
      g.writeStringField("type", "custom_tool_call");
      field(g, "id", c.id());
      field(g, "call_id", c.callId());
      field(g, "name", c.name());
      field(g, "input", c.input());
      g.writeEndObject();
    } else if (item instanceof Item.CustomToolCallOutput c) {
      g.writeStartObject();
      g.writeStringField("type", "custom_tool_call_output");
      field(g, "call_id", c.callId());
      field(g, "output", c.output());
      g.writeEndObject();
    } else if (item instanceof Item.Reasoning r) {
      g.writeStartObject();
      g.writeStringField("type", "reasoning");
      field(g, "id", r.id());
      g.writeArrayFieldStart("summary");
      for (String s : r.summary()) {
        g.writeStartObject();
        g.writeStringField("type", "summary_text");
        g.writeStringField("text", s);
        g.writeEndObject();
      }
      g.writeEndArray();
      field(g, "encrypted_content", r.encryptedContent());
      g.writeEndObject();
    } else if (item instanceof Item.Compaction c) {
      g.writeStartObject();
      g.writeStringField("type", "compaction");
      field(g, "id", c.id());
      field(g, "encrypted_content", c.encryptedContent());
      g.writeEndObject();
    } else {
      throw new IllegalArgumentException("no JSON form for " + item.getClass().getName());
    }
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<Item.Content> contents(JsonNode content) {
    List<Item.Content> parts = new ArrayList<>();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      parts.add(Item.Content.inputText(content.asText()));
      return parts;
    }
    for (JsonNode p : content) {
      String type = text(p, "type");
      parts.add(new Item.Content(type, text(p, "refusal".equals(type) ? "refusal" : "text")));
    }
    return parts;
  }

  /** Tool output is a string, or (newer clients) a list of content parts whose texts are joined. */
  private static String outputText(JsonNode output) {
    if (output == null || output.isNull()) {
      return null;
    }
    if (output.isTextual()) {
      return output.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode p : output) {
      String t = text(p, "text");
      if (t != null) {
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static List<String> summaries(JsonNode summary) {
    List<String> out = new ArrayList<>();
    if (summary != null && summary.isArray()) {
      for (JsonNode s : summary) {
        String t = text(s, "text");
        out.add(t == null ? "" : t);
      }
    }
    return out;
  }
}
