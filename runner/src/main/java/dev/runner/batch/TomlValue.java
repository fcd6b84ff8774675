package dev.runner.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** A task line's {@code config} value as the TOML text {@code -c key=value} takes, so both go through one parser. */
final class TomlValue {
  private TomlValue() {}

  static String of(JsonNode v) {
    if (v.isTextual()) {
      return quoted(v.asText());
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    if (v.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < v.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(of(v.get(i)));
      }
      return b.append(']').toString();
    }
    if (v.isObject()) {
      StringBuilder b = new StringBuilder("{");
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append(first ? "" : ", ").append(quoted(e.getKey())).append(" = ").append(of(e.getValue()));
        first = false;
      }
      return b.append('}').toString();
    }
    return "\"\""; // null: TOML has none; an empty string is what -c key= gives
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
