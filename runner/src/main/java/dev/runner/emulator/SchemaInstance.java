package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds an instance of a JSON Schema the way a model would fill a structured answer: objects with every listed
 * property, strings and string arrays taken from what the tools printed (then the prompt), integers from the first
 * output that is a number, enums and consts as given, nullable types as their non-null branch. Covers the subset
 * strict structured outputs use; {@code pattern} and {@code multipleOf} are not solved (validate the result).
 * A scenario that knows what its commands found passes those findings as facts: an object property whose name has a
 * fact that fits its schema gets the fact instead of filler, so {@code languages} holds languages and not file names.
 */
final class SchemaInstance {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 12;

  private final JsonNode root;
  private final List<String> sources;
  private final List<String> lines;
  private final Long number;
  private final Function<String, JsonNode> facts;
  private int cursor;

  SchemaInstance(JsonNode root, List<String> toolOutputs, String prompt) {
    this(root, toolOutputs, prompt, property -> null);
  }

  /** {@code facts} maps a property name to what is known for it, or null. */
  SchemaInstance(JsonNode root, List<String> toolOutputs, String prompt, Function<String, JsonNode> facts) {
    this.root = root;
    this.facts = facts;
    List<String> s = new ArrayList<>();
    Set<String> l = new LinkedHashSet<>();
    Long n = null;
    for (String o : toolOutputs) {
      String t = o.strip();
      if (!t.isEmpty()) {
        s.add(t);
        t.lines().map(String::strip).filter(x -> !x.isEmpty()).forEach(l::add);
        if (n == null && t.matches("-?\\d{1,18}")) {
          n = Long.parseLong(t);
        }
      }
    }
    if (prompt != null && !prompt.isBlank()) {
      s.add(prompt.strip());
    }
    if (s.isEmpty()) {
      s.add("emulated answer");
    }
    this.sources = s;
    this.lines = new ArrayList<>(l.isEmpty() ? s : l);
    this.number = n == null ? (long) toolOutputs.size() : n;
  }

  JsonNode build() {
    return build(root, 0);
  }

  private JsonNode build(JsonNode schema, int depth) {
    JsonNode s = resolve(schema);
    if (s == null || s.isBoolean() || depth > MAX_DEPTH) {
      return F.nullNode();
    }
    if (s.has("const")) {
      return s.get("const");
    }
    if (s.has("enum") && s.get("enum").isArray() && !s.get("enum").isEmpty()) {
      for (JsonNode e : s.get("enum")) {
        if (!e.isNull()) {
          return e;
        }
      }
      return s.get("enum").get(0);
    }
    for (String union : new String[]{"anyOf", "oneOf"}) {
      if (s.has(union)) {
        for (JsonNode branch : s.get(union)) {
          if (!"null".equals(resolve(branch).path("type").asText())) {
            return build(branch, depth + 1);
          }
        }
        return F.nullNode();
      }
    }
    if (s.has("allOf") && !s.get("allOf").isEmpty()) {
      return build(s.get("allOf").get(0), depth + 1);
    }
    return switch (type(s)) {
      case "object" -> object(s, depth);
      case "array" -> array(s, depth);
      case "string" -> F.textNode(string(s));
      case "integer" -> F.numberNode(clamp(s, number));
      case "number" -> F.numberNode((double) clamp(s, number));
      case "boolean" -> F.booleanNode(true);
      case "null" -> F.nullNode();
      default -> F.textNode(string(s));
    };
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode s = schema;
    for (int hops = 0; s != null && s.has("$ref") && hops < MAX_DEPTH; hops++) {
      String ref = s.get("$ref").asText();
      s = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
      if (s != null && s.isMissingNode()) {
        s = null;
      }
    }
    return s;
  }

  private static String type(JsonNode s) {
    JsonNode t = s.get("type");
    if (t == null) {
      return s.has("properties") ? "object" : s.has("items") ? "array" : "string";
    }
    if (t.isArray()) {
      for (JsonNode x : t) {
        if (!"null".equals(x.asText())) {
          return x.asText();
        }
      }
      return "null";
    }
    return t.asText();
  }

  private JsonNode object(JsonNode s, int depth) {
    ObjectNode out = F.objectNode();
    JsonNode props = s.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode fact = facts.apply(p.getKey());
      JsonNode fitted = fact == null ? null : fitFact(p.getValue(), fact);
      out.set(p.getKey(), fitted != null ? fitted : build(p.getValue(), depth + 1));
    }
    return out;
  }

  /** The fact shaped to the property's schema, or null when it cannot fit (the property is then filled as usual). */
  private JsonNode fitFact(JsonNode schema, JsonNode fact) {
    JsonNode s = nonNullBranch(resolve(schema));
    if (s == null || s.has("enum") || s.has("const") || s.has("pattern")) {
      return null;
    }
    String type = type(s);
    if (type.equals("string") && fact.isTextual()) {
      return fit(s, fact.asText());
    }
    if (type.equals("string") && fact.isArray() && !fact.isEmpty()) {
      List<String> parts = new ArrayList<>();
      fact.forEach(x -> parts.add(x.asText()));
      return fit(s, String.join(", ", parts));
    }
    if ((type.equals("integer") || type.equals("number")) && fact.isIntegralNumber()) {
      long v = clamp(s, fact.asLong());
      return type.equals("integer") ? F.numberNode(v) : F.numberNode((double) v);
    }
    if (type.equals("array") && fact.isArray()) {
      JsonNode items = nonNullBranch(resolve(s.path("items")));
      boolean strings = items != null && "string".equals(type(items)) && !items.has("enum") && !items.has("const")
          && !items.has("pattern");
      int max = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
      if (!strings || fact.size() < s.path("minItems").asInt(0)) {
        return null;
      }
      ArrayNode out = F.arrayNode();
      for (int i = 0; i < Math.min(max, fact.size()); i++) {
        out.add(fit(items, fact.get(i).asText()));
      }
      return out;
    }
    return null;
  }

  /** A nullable union's non-null branch, resolved; the schema itself when it is no union. */
  private JsonNode nonNullBranch(JsonNode s) {
    if (s == null) {
      return null;
    }
    for (String union : new String[]{"anyOf", "oneOf"}) {
      if (s.has(union)) {
        for (JsonNode branch : s.get(union)) {
          JsonNode b = resolve(branch);
          if (b != null && !"null".equals(b.path("type").asText())) {
            return b;
          }
        }
        return null;
      }
    }
    return s;
  }

  private JsonNode array(JsonNode s, int depth) {
    ArrayNode out = F.arrayNode();
    JsonNode items = resolve(s.path("items"));
    int min = s.path("minItems").asInt(0);
    int max = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
    boolean strings = items != null && "string".equals(type(items)) && !items.has("enum") && !items.has("const");
    int n = strings ? Math.max(min, Math.min(lines.size(), 10)) : Math.max(min, 1);
    n = Math.min(n, max);
    for (int i = 0; i < n; i++) {
      if (strings) {
        out.add(fit(items, lines.get(i % lines.size()) + (i >= lines.size() ? " " + i : "")));
      } else {
        out.add(build(s.path("items"), depth + 1));
      }
    }
    return out;
  }

  private String string(JsonNode s) {
    String format = s.path("format").asText("");
    switch (format) {
      case "date-time" -> {
        return "2026-01-01T00:00:00Z";
      }
      case "date" -> {
        return "2026-01-01";
      }
      case "email" -> {
        return "emulator@example.com";
      }
      case "uri", "url" -> {
        return "https://example.com/";
      }
      default -> {
        String v = sources.get(cursor % sources.size());
        cursor++;
        return fit(s, v).asText();
      }
    }
  }

  private static JsonNode fit(JsonNode s, String value) {
    String v = value;
    if (s.has("maxLength") && v.length() > s.get("maxLength").asInt()) {
      v = v.substring(0, s.get("maxLength").asInt());
    }
    int min = s.path("minLength").asInt(0);
    StringBuilder sb = new StringBuilder(v);
    while (sb.length() < min) {
      sb.append('x');
    }
    return F.textNode(sb.toString());
  }

  private static long clamp(JsonNode s, long value) {
    long v = value;
    if (s.has("minimum")) {
      v = Math.max(v, (long) Math.ceil(s.get("minimum").asDouble()));
    }
    if (s.has("exclusiveMinimum") && s.get("exclusiveMinimum").isNumber()) {
      v = Math.max(v, (long) Math.floor(s.get("exclusiveMinimum").asDouble()) + 1);
    }
    if (s.has("maximum")) {
      v = Math.min(v, (long) Math.floor(s.get("maximum").asDouble()));
    }
    if (s.has("exclusiveMaximum") && s.get("exclusiveMaximum").isNumber()) {
      v = Math.min(v, (long) Math.ceil(s.get("exclusiveMaximum").asDouble()) - 1);
    }
    return v;
  }
}
