package dev.runner.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an MCP tool's {@code inputSchema} into the {@code parameters} of a Responses function tool, in strict mode
 * where that keeps the tool's meaning. Strict mode wants every property required and no other properties, so an
 * optional property becomes required and nullable, and {@link #withoutAddedNulls} drops the nulls the model then
 * sends before the call reaches the server: the server sees what it would have seen without strict mode. A schema
 * strict mode cannot express (free-form objects, keywords the service refuses in strict mode) is sent as written with
 * {@code strict: false}. A schema that is not a JSON Schema of an object at all is {@link Malformed}: that tool is
 * left out.
 */
final class InputSchemas {
  /** Keywords the service refuses in strict mode (OpenAI structured outputs, "supported schemas"). */
  private static final Set<String> UNSUPPORTED = Set.of("allOf", "oneOf", "not", "if", "then", "else",
      "dependentRequired", "dependentSchemas", "dependencies", "patternProperties", "unevaluatedProperties",
      "propertyNames", "minProperties", "maxProperties", "unevaluatedItems", "contains", "minContains",
      "maxContains", "uniqueItems", "minLength", "maxLength", "prefixItems", "additionalItems", "format");
  private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean",
      "null");

  /** The parameters to send and whether strict mode is on. */
  record Parameters(ObjectNode schema, boolean strict) {}

  /** A schema that cannot describe a tool's arguments. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private InputSchemas() {}

  /** The parameters for {@code inputSchema} (as the SDK decoded it); the argument is not modified. */
  static Parameters parameters(Map<String, Object> inputSchema) throws Malformed {
    if (inputSchema == null) {
      throw new Malformed("inputSchema is missing");
    }
    ObjectNode original = Mcp.JSON.valueToTree(inputSchema);
    check(original, "(root)");
    if (original.has("type") && !"object".equals(original.path("type").asText())) {
      throw new Malformed("inputSchema's type is " + original.get("type") + ", not \"object\"");
    }
    ObjectNode sent = original.deepCopy();
    sent.remove("$schema");
    sent.put("type", "object");
    if (!sent.has("properties")) {
      sent.putObject("properties");
    }
    List<String> blockers = new ArrayList<>();
    ObjectNode strict = sent.deepCopy();
    makeStrict(strict, "(root)", blockers);
    return blockers.isEmpty() ? new Parameters(strict, true) : new Parameters(sent, false);
  }

  /**
   * {@code arguments} without the nulls strict mode made the model send: a null for a property the original schema
   * did not require is removed, at every depth the schema describes.
   */
  static JsonNode withoutAddedNulls(JsonNode arguments, JsonNode originalSchema) {
    if (!arguments.isObject() || !originalSchema.path("properties").isObject()) {
      return arguments;
    }
    ObjectNode out = arguments.deepCopy();
    Set<String> required = new HashSet<>();
    originalSchema.path("required").forEach(r -> required.add(r.asText()));
    JsonNode properties = originalSchema.get("properties");
    List<String> drop = new ArrayList<>();
    out.properties().forEach(e -> {
      if (e.getValue().isNull() && !required.contains(e.getKey())) {
        drop.add(e.getKey());
      } else if (properties.has(e.getKey())) {
        e.setValue(withoutAddedNulls(e.getValue(), properties.get(e.getKey())));
      }
    });
    out.remove(drop);
    return out;
  }

  /** Structural checks: the shapes a JSON Schema must have where a validator or the service would choke. */
  private static void check(JsonNode schema, String at) throws Malformed {
    if (schema.isBoolean()) {
      return;
    }
    if (!schema.isObject()) {
      throw new Malformed(at + " is " + schema.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
          + ", not a schema object");
    }
    JsonNode type = schema.get("type");
    if (type != null) {
      List<JsonNode> types = new ArrayList<>();
      if (type.isArray()) {
        type.forEach(types::add);
      } else {
        types.add(type);
      }
      for (JsonNode t : types) {
        if (!t.isTextual() || !TYPES.contains(t.asText())) {
          throw new Malformed(at + ".type " + t + " is not a JSON Schema type");
        }
      }
    }
    JsonNode required = schema.get("required");
    if (required != null) {
      if (!required.isArray()) {
        throw new Malformed(at + ".required is not an array");
      }
      for (JsonNode r : required) {
        if (!r.isTextual()) {
          throw new Malformed(at + ".required holds " + r + ", not a property name");
        }
      }
    }
    JsonNode properties = schema.get("properties");
    if (properties != null) {
      if (!properties.isObject()) {
        throw new Malformed(at + ".properties is not an object");
      }
      for (Map.Entry<String, JsonNode> e : properties.properties()) {
        check(e.getValue(), at + ".properties." + e.getKey());
      }
    }
    if (schema.has("items") && !schema.get("items").isArray()) {
      check(schema.get("items"), at + ".items");
    }
    for (String list : List.of("anyOf", "oneOf", "allOf")) {
      if (schema.has(list)) {
        if (!schema.get(list).isArray()) {
          throw new Malformed(at + "." + list + " is not an array");
        }
        for (JsonNode branch : schema.get(list)) {
          check(branch, at + "." + list);
        }
      }
    }
  }

  /** Rewrites {@code schema} in place for strict mode, or says in {@code blockers} why it cannot be. */
  private static void makeStrict(ObjectNode schema, String at, List<String> blockers) {
    for (String keyword : UNSUPPORTED) {
      if (schema.has(keyword)) {
        blockers.add(at + " uses " + keyword);
      }
    }
    schema.remove("default"); // strict mode refuses defaults; the server applies its own
    if (schema.has("properties") || "object".equals(schema.path("type").asText())) {
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
        blockers.add(at + " allows additional properties");
      }
      if (!schema.path("properties").isObject() || schema.get("properties").isEmpty()) {
        if (!"(root)".equals(at)) {
          blockers.add(at + " is a free-form object");
        }
        schema.putObject("properties");
      }
      schema.put("additionalProperties", false);
      Set<String> required = new HashSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      ArrayNode all = schema.putArray("required");
      ObjectNode properties = (ObjectNode) schema.get("properties");
      for (Map.Entry<String, JsonNode> e : properties.properties()) {
        all.add(e.getKey());
        if (!e.getValue().isObject()) {
          blockers.add(at + "." + e.getKey() + " is a boolean schema");
          continue;
        }
        ObjectNode property = (ObjectNode) e.getValue();
        makeStrict(property, at + "." + e.getKey(), blockers);
        if (!required.contains(e.getKey())) {
          e.setValue(nullable(property));
        }
      }
    }
    if (schema.get("items") instanceof ObjectNode items) {
      makeStrict(items, at + ".items", blockers);
    }
    if (schema.get("anyOf") instanceof ArrayNode anyOf) {
      anyOf.forEach(b -> {
        if (b instanceof ObjectNode o) {
          makeStrict(o, at + ".anyOf", blockers);
        }
      });
    }
    for (String defs : List.of("$defs", "definitions")) {
      if (schema.get(defs) instanceof ObjectNode d) {
        d.properties().forEach(e -> {
          if (e.getValue() instanceof ObjectNode o) {
            makeStrict(o, at + "." + defs + "." + e.getKey(), blockers);
          }
        });
      }
    }
  }

  /** {@code property} that also accepts null. */
  private static JsonNode nullable(ObjectNode property) {
    JsonNode type = property.get("type");
    if (type != null && type.isTextual() && !property.has("enum")) {
      ArrayNode types = property.putArray("type");
      types.add(type.asText()).add("null");
      return property;
    }
    if (type != null && type.isArray() && !property.has("enum")) {
      boolean hasNull = false;
      for (JsonNode t : type) {
        hasNull |= "null".equals(t.asText());
      }
      if (!hasNull) {
        ((ArrayNode) type).add("null");
      }
      return property;
    }
    ObjectNode wrapper = Mcp.JSON.createObjectNode();
    ArrayNode anyOf = wrapper.putArray("anyOf");
    anyOf.add(property);
    anyOf.addObject().put("type", "null");
    if (property.has("description")) {
      wrapper.set("description", property.get("description"));
    }
    return wrapper;
  }
}
