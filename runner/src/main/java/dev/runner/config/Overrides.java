package dev.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.runner.RunnerException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code -c key=value} overrides the way codex does: the key is a dotted path into tables
 * ({@code model_providers.x.supports_websockets}); the value is read as a TOML value ({@code true},
 * {@code 5}, {@code "s"}, {@code [1, 2]}, {@code {a = "b"}}) and, when it is not one, taken as a
 * plain string ({@code -c model=gpt-5}). Later overrides of the same key win.
 */
final class Overrides {
  private Overrides() {}

  /**
   * @throws RunnerException (usage) naming the override when it has no {@code =} or an empty key
   *     or key part
   */
  static ObjectNode parse(List<String> overrides, TomlMapper toml) {
    ObjectNode root = toml.createObjectNode();
    for (String override : overrides) {
      Parsed p = parseOne(override, toml);
      ObjectNode table = root;
      for (String part : p.key().subList(0, p.key().size() - 1)) {
        JsonNode child = table.get(part);
        table = child instanceof ObjectNode o ? o : table.putObject(part);
      }
      table.set(p.key().get(p.key().size() - 1), p.value());
    }
    return root;
  }

  /** One override split into its key path and parsed value. */
  record Parsed(List<String> key, JsonNode value) {}

  static Parsed parseOne(String override, TomlMapper toml) {
    int eq = override.indexOf('=');
    if (eq < 0) {
      throw RunnerException.usage(
          "-c '" + override + "' has no '=': overrides are key=value",
          "write e.g. -c model=gpt-5 or -c model_providers.x.supports_websockets=true");
    }
    String keyText = override.substring(0, eq).trim();
    if (keyText.isEmpty()) {
      throw RunnerException.usage(
          "-c '" + override + "' has an empty key", "write the key before '=', e.g. -c model=gpt-5");
    }
    List<String> key = new ArrayList<>();
    for (String part : keyText.split("\\.", -1)) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        throw RunnerException.usage(
            "-c '" + override + "' has an empty part in key '" + keyText + "'",
            "dotted keys look like model_providers.ID.base_url");
      }
      key.add(trimmed);
    }
    return new Parsed(List.copyOf(key), value(override.substring(eq + 1).trim(), toml));
  }

  /** The TOML value of {@code text}, or {@code text} itself as a string when it is not one. */
  static JsonNode value(String text, TomlMapper toml) {
    try {
      JsonNode doc = toml.readTree("v = " + text + "\n");
      // one value only: "1\nother = 2" must not smuggle in a second key
      if (doc != null && doc.size() == 1 && doc.has("v")) {
        return doc.get("v");
      }
    } catch (JsonProcessingException e) {
      // not TOML: codex takes such values literally, and so do we
    }
    return TextNode.valueOf(text);
  }
}
