package dev.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides how the user's schema is sent to the service: rewritten for strict mode when that only narrows it, or as
 * written with {@code strict:false} when strict mode would need a change that loses something.
 *
 * <p>A rewrite is allowed only if every answer valid against the sent schema is also valid against the original one,
 * so validating with the original can never reject what strict decoding forced the model to write. Two rewrites pass
 * that test: adding {@code additionalProperties: false} to an object that declares its properties, and listing every
 * declared property in {@code required}. Turning an optional property into a nullable one would not pass (the model
 * could answer {@code null} where the original forbids it), so optional properties become required with their own
 * type. What strict mode cannot express (maps, free-form objects, a non-object root, keywords the service rejects in
 * strict mode) switches strict off instead.
 */
final class StrictNormalizer {
  /** Keywords the service refuses in strict mode (OpenAI structured outputs, "supported schemas"). */
  static final Set<String> UNSUPPORTED = Set.of("allOf", "oneOf", "not", "if", "then", "else", "dependentRequired",
      "dependentSchemas", "dependencies", "patternProperties", "unevaluatedProperties", "propertyNames",
      "minProperties", "maxProperties", "unevaluatedItems", "contains", "minContains", "maxContains", "uniqueItems",
      "minLength", "maxLength", "prefixItems", "additionalItems", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
      "$recursiveAnchor");
  /** String formats strict mode accepts. */
  static final Set<String> FORMATS = Set.of("date-time", "time", "date", "duration", "email", "hostname", "ipv4",
      "ipv6", "uuid");
  private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
      "dependentSchemas");
  private static final Set<String> SCHEMA_LISTS = Set.of("items", "prefixItems", "anyOf", "oneOf", "allOf");
  private static final Set<String> SCHEMA_VALUES = Set.of("additionalProperties", "additionalItems", "not", "if",
      "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties");

  /** The schema to send, whether strict mode is on, and one warning line per change or per reason it is off. */
  record Normalized(ObjectNode sent, boolean strict, List<String> warnings) {
    Normalized {
      warnings = List.copyOf(warnings);
    }
  }

  private final List<String> changes = new ArrayList<>();
  private final List<String> blockers = new ArrayList<>();

  private StrictNormalizer() {}

  /** Normalizes a copy of {@code original}; the argument is never modified. */
  static Normalized normalize(ObjectNode original) {
    ObjectNode copy = original.deepCopy();
    // The service picks its own dialect and base URI; only local "#/..." references remain, which need neither.
    copy.remove("$schema");
    copy.remove("$id");
    StrictNormalizer n = new StrictNormalizer();
    if (!isObjectSchema(copy) || copy.has("anyOf")) {
      n.blockers.add("(root) must be a plain object schema ({\"type\": \"object\", \"properties\": {...}})");
    }
    n.walk(copy, "");
    if (!n.blockers.isEmpty()) {
      ObjectNode asWritten = original.deepCopy();
      asWritten.remove("$schema");
      asWritten.remove("$id");
      List<String> warnings = new ArrayList<>();
      warnings.add("output schema: sending it with strict:false, because strict mode cannot express it as written"
          + " (the model is guided but not forced; the answer is still validated against the schema):");
      n.blockers.forEach(b -> warnings.add("output schema: " + b));
      return new Normalized(asWritten, false, warnings);
    }
    return new Normalized(copy, true, n.changes.stream().map(c -> "output schema: " + c).toList());
  }

  private void walk(JsonNode node, String pointer) {
    String at = Pointers.display(pointer);
    if (node.isBoolean()) {
      blockers.add(at + " is the boolean schema " + node + "; strict mode needs a typed schema");
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode schema = (ObjectNode) node;
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      if (UNSUPPORTED.contains(field.getKey())) {
        blockers.add(at + " uses \"" + field.getKey() + "\", which strict mode does not support");
      }
    }
    if (schema.path("items").isArray()) {
      blockers.add(at + " uses tuple \"items\" (an array of schemas), which strict mode does not support");
    }
    JsonNode format = schema.get("format");
    if (format != null && !FORMATS.contains(format.asText())) {
      blockers.add(at + " uses format " + format + ", which strict mode does not support (it knows " + FORMATS + ")");
    }
    if (isObjectSchema(schema)) {
      closeObject(schema, at);
    }
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String child = pointer + "/" + Pointers.escape(key);
      if (SCHEMA_MAPS.contains(key) && value.isObject()) {
        value.properties().forEach(e -> walk(e.getValue(), child + "/" + Pointers.escape(e.getKey())));
      } else if (SCHEMA_LISTS.contains(key) && value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          walk(value.get(i), child + "/" + i);
        }
      } else if ((SCHEMA_LISTS.contains(key) || SCHEMA_VALUES.contains(key)) && !value.isArray()) {
        // additionalProperties: false is the strict form itself, not a schema to check.
        if (!(key.equals("additionalProperties") && value.isBoolean())) {
          walk(value, child);
        }
      }
    }
  }

  private void closeObject(ObjectNode schema, String at) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && additional.isObject()) {
      blockers.add(at + " allows extra properties matching a schema (a map); strict mode needs"
          + " additionalProperties: false and every key declared under properties");
      return;
    }
    if (properties.isEmpty() && (additional == null || additional.asBoolean())) {
      blockers.add(at + " is an object with no declared properties; strict mode would only allow {}");
      return;
    }
    if (additional == null) {
      schema.put("additionalProperties", false);
      changes.add(at + ": added \"additionalProperties\": false (strict mode forbids undeclared properties)");
    } else if (additional.asBoolean()) {
      schema.put("additionalProperties", false);
      changes.add(at + ": changed \"additionalProperties\" from true to false (strict mode forbids undeclared"
          + " properties)");
    }
    Set<String> required = new LinkedHashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    List<String> optional = new ArrayList<>();
    properties.fieldNames().forEachRemaining(name -> {
      if (required.add(name)) {
        optional.add(name);
      }
    });
    if (!optional.isEmpty()) {
      ArrayNode all = schema.putArray("required");
      required.forEach(all::add);
      changes.add(at + ": made optional propert" + (optional.size() == 1 ? "y " : "ies ") + String.join(", ", optional)
          + " required (strict mode requires every property, so the model will always fill "
          + (optional.size() == 1 ? "it" : "them") + "; add \"null\" to a property's type to let it answer null)");
    }
  }

  static boolean isObjectSchema(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return schema.has("properties");
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.asText().equals("object")) {
          return true;
        }
      }
      return false;
    }
    return type.asText().equals("object");
  }
}
