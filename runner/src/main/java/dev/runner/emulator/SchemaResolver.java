package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural side of {@link SchemaInstance}: resolves {@code $ref} inside the root document, merges {@code allOf}
 * and a {@code $ref}'s sibling keywords into one schema, and validates an instance against any subschema (references
 * still resolving into the root) with networknt.
 */
final class SchemaResolver {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String ROOT = "__emulator_root__";
  private static final int MAX_HOPS = 64;

  private final JsonNode root;
  private final JsonNode rewrittenRoot;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> compiled = new HashMap<>();

  SchemaResolver(JsonNode root) {
    this.root = root;
    JsonNode r = rewrite(root.deepCopy());
    if (r instanceof ObjectNode o) {
      o.remove("$id");
      o.remove("$schema");
    }
    this.rewrittenRoot = r;
  }

  /** {@code schema} with its {@code $ref}s followed and {@code allOf} merged in: no $ref or allOf at the top. */
  JsonNode flatten(JsonNode schema, String where) {
    JsonNode s = schema;
    for (int hops = 0; s.isObject() && (s.has("$ref") || s.has("allOf")); hops++) {
      if (hops > MAX_HOPS) {
        throw new SchemaInstance.Unsatisfiable("$ref", where, "references loop without reaching a schema");
      }
      ObjectNode o = (ObjectNode) s;
      if (o.has("$ref")) {
        JsonNode target = target(o.get("$ref").asText(), where);
        s = merge(target, o.deepCopy().without("$ref"));
      } else {
        JsonNode merged = o.deepCopy().without("allOf");
        for (JsonNode part : o.get("allOf")) {
          merged = merge(merged, flatten(part, where));
        }
        s = merged;
      }
    }
    return s;
  }

  private JsonNode target(String ref, String where) {
    if (!ref.startsWith("#")) {
      throw new SchemaInstance.Unsatisfiable("$ref", where, "'" + ref + "' points outside the schema; only "
          + "references inside it (#/...) are resolved");
    }
    String pointer = java.net.URLDecoder.decode(ref.substring(1), java.nio.charset.StandardCharsets.UTF_8);
    JsonNode t = pointer.isEmpty() ? root : root.at(pointer);
    if (t.isMissingNode()) {
      throw new SchemaInstance.Unsatisfiable("$ref", where, "'" + ref + "' points at nothing");
    }
    return t;
  }

  /** Both schemas at once, as far as a builder needs: bounds take the stricter value, lists intersect or join. */
  JsonNode merge(JsonNode a, JsonNode b) {
    if (a.isBoolean()) {
      return a.asBoolean() ? b : a;
    }
    if (b.isBoolean()) {
      return b.asBoolean() ? a : b;
    }
    ObjectNode out = a.deepCopy();
    for (Map.Entry<String, JsonNode> e : b.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      JsonNode mine = out.get(k);
      if (mine == null) {
        out.set(k, v);
        continue;
      }
      switch (k) {
        case "properties" -> {
          ObjectNode props = mine.deepCopy();
          for (Map.Entry<String, JsonNode> p : v.properties()) {
            JsonNode had = props.get(p.getKey());
            props.set(p.getKey(), had == null
                ? p.getValue()
                : F.objectNode().set("allOf", F.arrayNode().add(had).add(p.getValue())));
          }
          out.set(k, props);
        }
        case "required" -> {
          Set<String> names = new LinkedHashSet<>();
          mine.forEach(x -> names.add(x.asText()));
          v.forEach(x -> names.add(x.asText()));
          ArrayNode r = F.arrayNode();
          names.forEach(r::add);
          out.set(k, r);
        }
        case "type" -> out.set(k, intersectTypes(mine, v));
        case "enum" -> {
          ArrayNode both = F.arrayNode();
          mine.forEach(x -> v.forEach(y -> {
            if (x.equals(y)) {
              both.add(x);
            }
          }));
          out.set(k, both);
        }
        case "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties" ->
          out.set(k, mine.asDouble() >= v.asDouble() ? mine : v);
        case "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties" ->
          out.set(k, mine.asDouble() <= v.asDouble() ? mine : v);
        case "anyOf", "oneOf" -> {
          // two unions of one kind: the builder follows the first; validating against the root checks both
        }
        default -> out.set(k, v);
      }
    }
    return out;
  }

  private static JsonNode intersectTypes(JsonNode a, JsonNode b) {
    Set<String> left = new LinkedHashSet<>();
    (a.isArray() ? a : F.arrayNode().add(a)).forEach(x -> left.add(x.asText()));
    Set<String> right = new LinkedHashSet<>();
    (b.isArray() ? b : F.arrayNode().add(b)).forEach(x -> right.add(x.asText()));
    if (right.contains("number")) {
      right.add("integer");
    }
    if (left.contains("number")) {
      left.add("integer");
    }
    left.retainAll(right);
    if (left.isEmpty()) {
      return b; // contradictory: the final validation names the type keyword
    }
    ArrayNode t = F.arrayNode();
    left.forEach(t::add);
    return t.size() == 1 ? t.get(0) : t;
  }

  /** Whether {@code instance} is valid against {@code schema}, a subschema of (or built from) the root. */
  boolean valid(JsonNode schema, JsonNode instance) {
    return compile(schema).validate(instance).isEmpty();
  }

  /** The keyword of the first error of {@code instance} against {@code schema}, or null when valid. */
  String firstViolation(JsonNode schema, JsonNode instance) {
    List<Error> errors = compile(schema).validate(instance);
    return errors.isEmpty() ? null : String.valueOf(errors.get(0).getKeyword());
  }

  /** The first few errors on one line. */
  String describe(JsonNode schema, JsonNode instance) {
    return String.join("; ", compile(schema).validate(instance).stream().limit(3).map(Error::toString).toList());
  }

  private Schema compile(JsonNode schema) {
    String key = schema.toString();
    Schema s = compiled.get(key);
    if (s == null) {
      s = registry.getSchema(wrap(schema));
      compiled.put(key, s);
    }
    return s;
  }

  /** A standalone copy whose {@code #/...} references lead to a copy of the root kept under {@code $defs}. */
  private JsonNode wrap(JsonNode schema) {
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode copy = (ObjectNode) rewrite(schema.deepCopy());
    copy.remove("$id");
    JsonNode defs = copy.get("$defs");
    ObjectNode d = defs instanceof ObjectNode o ? o : copy.putObject("$defs");
    d.set(ROOT, rewrittenRoot);
    return copy;
  }

  private static JsonNode rewrite(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
        o.put("$ref", "#/$defs/" + ROOT + ref.asText().substring(1));
      }
      o.properties().forEach(e -> {
        if (!e.getKey().equals("const") && !e.getKey().equals("enum")) {
          rewrite(e.getValue());
        }
      });
    } else if (node instanceof ArrayNode a) {
      a.forEach(SchemaResolver::rewrite);
    }
    return node;
  }
}
