package dev.runner.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds strict-mode function definitions: every object lists all its properties as required and
 * forbids others; an optional field is a required one whose type admits {@code null}.
 */
final class Schemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Schemas() {}

  static ObjectNode function(String name, String description, ObjectNode parameters) {
    ObjectNode tool = F.objectNode();
    tool.put("type", "function");
    tool.put("name", name);
    tool.put("description", description);
    tool.put("strict", true);
    tool.set("parameters", parameters);
    return tool;
  }

  /** An object schema whose every property is required; {@code props} alternate name, schema. */
  static ObjectNode object(Object... props) {
    ObjectNode schema = F.objectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = F.arrayNode();
    for (int i = 0; i < props.length; i += 2) {
      String name = (String) props[i];
      properties.set(name, (ObjectNode) props[i + 1]);
      required.add(name);
    }
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  static ObjectNode type(String type, String description) {
    ObjectNode schema = F.objectNode();
    schema.put("type", type);
    if (description != null) {
      schema.put("description", description);
    }
    return schema;
  }

  /** A schema for {@code type} or {@code null}: how strict mode spells an optional field. */
  static ObjectNode nullable(String type, String description) {
    ObjectNode schema = F.objectNode();
    schema.putArray("type").add(type).add("null");
    schema.put("description", description);
    return schema;
  }

  static ObjectNode array(ObjectNode items, String description) {
    ObjectNode schema = type("array", description);
    schema.set("items", items);
    return schema;
  }

  static ObjectNode enumOf(String description, String... values) {
    ObjectNode schema = type("string", description);
    ArrayNode list = schema.putArray("enum");
    for (String v : values) {
      list.add(v);
    }
    return schema;
  }

  static ObjectNode anyOf(String description, ObjectNode... options) {
    ObjectNode schema = F.objectNode();
    schema.put("description", description);
    ArrayNode list = schema.putArray("anyOf");
    for (ObjectNode o : options) {
      list.add(o);
    }
    return schema;
  }
}
