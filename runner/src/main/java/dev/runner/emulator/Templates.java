package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills final-answer templates from the conversation: {@code {{prompt}}} (the last user message), {@code {{output.N}}}
 * (the N-th tool output, 1-based, trimmed), {@code {{last_output}}}, {@code {{outputs}}} (all outputs, one per line)
 * and {@code {{turn}}} (number of tool outputs so far). Unknown placeholders stay as written.
 */
record Templates(String prompt, List<String> outputs) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)(?:\\.(\\d+))?\\s*}}");

  Templates {
    prompt = prompt == null ? "" : prompt;
    outputs = List.copyOf(outputs);
  }

  String render(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(value(m.group(1), m.group(2), m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String value(String name, String index, String literal) {
    return switch (name) {
      case "prompt" -> prompt;
      case "last_output" -> outputs.isEmpty() ? "" : outputs.get(outputs.size() - 1).strip();
      case "outputs" -> String.join("\n", outputs.stream().map(String::strip).toList());
      case "turn" -> Integer.toString(outputs.size());
      case "output" -> {
        int i = index == null ? outputs.size() : Integer.parseInt(index);
        yield i >= 1 && i <= outputs.size() ? outputs.get(i - 1).strip() : "";
      }
      default -> literal;
    };
  }

  /** The final message text: a rendered string, or a JSON template rendered leaf by leaf and serialized. */
  String renderText(JsonNode template) {
    if (template.isTextual()) {
      return render(template.asText());
    }
    return renderTree(template).toString();
  }

  /** The answer as JSON, for schema checks: rendered text parsed as JSON when it is JSON, else a JSON string. */
  JsonNode renderJson(JsonNode template) {
    if (!template.isTextual()) {
      return renderTree(template);
    }
    String text = render(template.asText());
    try {
      JsonNode parsed = Json.MAPPER.readTree(text);
      return parsed == null ? TextNode.valueOf(text) : parsed;
    } catch (IOException e) {
      return TextNode.valueOf(text);
    }
  }

  private JsonNode renderTree(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(render(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), renderTree(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(n -> out.add(renderTree(n)));
      return out;
    }
    return node;
  }
}
