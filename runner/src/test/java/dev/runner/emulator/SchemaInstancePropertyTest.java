package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.runner.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SchemaInstance} against schemas it has never seen: seeded random schema trees (objects, arrays, strings with
 * formats, patterns and length bounds, numbers with bounds and multipleOf, enum, const, anyOf, oneOf, allOf, recursive
 * {@code $defs}), every one satisfiable by construction; each instance is validated by networknt with format
 * assertions on. Unsatisfiable schemas get an error naming the keyword.
 */
class SchemaInstancePropertyTest {
  static final int SCHEMAS = 400;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final SchemaRegistry STRICT = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  /** Patterns with the lengths their matches can have ({@code max} -1: unbounded). */
  record Pat(String regex, int min, int max) {}

  static final List<Pat> PATTERNS = List.of(new Pat("^[a-z]{3,8}$", 3, 8), new Pat("^[A-Z][0-9]{4}$", 5, 5),
      new Pat("^v\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", 6, 12), new Pat("^(feat|fix|chore): [a-z ]{1,20}$", 6, 27),
      new Pat("[0-9a-f]{8}", 8, -1), new Pat("^\\w{1,10}@example\\.(com|org)$", 13, 22),
      new Pat("^[A-Z]{2,4}-\\d{1,5}$", 4, 10), new Pat("^(?:yes|no|maybe)$", 2, 5));
  static final List<String> FORMATS = List.of("date-time", "date", "time", "email", "uri", "uuid", "ipv4", "ipv6",
      "hostname", "duration");

  static List<String> strictErrors(JsonNode schema, JsonNode instance) {
    return STRICT.getSchema(schema).validate(instance).stream().map(Error::toString).toList();
  }

  @Test
  void randomSatisfiableSchemasGetValidInstances() {
    List<String> failures = new ArrayList<>();
    int recursive = 0;
    for (int seed = 1; seed <= SCHEMAS; seed++) {
      Gen gen = new Gen(new Random(seed));
      ObjectNode schema = gen.root();
      recursive += gen.refs > 0 ? 1 : 0;
      try {
        JsonNode instance = new SchemaInstance(schema, List.of("README.md\npom.xml\nsrc", "7"), "task").build();
        List<String> errors = strictErrors(schema, instance);
        if (!errors.isEmpty()) {
          failures.add("seed " + seed + ": " + errors + "\n  schema " + schema + "\n  instance " + instance);
        }
      } catch (SchemaInstance.Unsatisfiable e) {
        failures.add("seed " + seed + ": " + e.getMessage() + "\n  schema " + schema);
      }
    }
    assertThat(recursive).as("schemas with a recursive $ref among " + SCHEMAS).isGreaterThan(SCHEMAS / 10);
    assertThat(failures).as(failures.size() + " of " + SCHEMAS + " failed").isEmpty();
  }

  @Test
  void aRecursiveTreeEndsWithoutNullsWhereNoneAreAllowed() throws Exception {
    JsonNode schema = Json.MAPPER.readTree("""
        {"type":"object","$defs":{"node":{"type":"object","additionalProperties":false,
          "properties":{"name":{"type":"string","pattern":"^[a-z]+(-[a-z]+)*$"},
            "children":{"type":"array","items":{"$ref":"#/$defs/node"}},
            "next":{"anyOf":[{"$ref":"#/$defs/node"},{"type":"null"}]}},
          "required":["name","children","next"]}},
         "properties":{"tree":{"$ref":"#/$defs/node"}},"required":["tree"],"additionalProperties":false}""");
    JsonNode instance = new SchemaInstance(schema, List.of("Some Output"), "p").build();
    assertThat(strictErrors(schema, instance)).isEmpty();
    assertThat(instance.at("/tree/name").asText()).matches("^[a-z]+(-[a-z]+)*$");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "minLength|{\"type\":\"string\",\"minLength\":5,\"maxLength\":2}",
      "pattern|{\"type\":\"string\",\"pattern\":\"^[a-z]{3}$\",\"maxLength\":2}",
      "enum|{\"type\":\"integer\",\"enum\":[\"a\",\"b\"]}",
      "minimum|{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}",
      "multipleOf|{\"type\":\"integer\",\"minimum\":1,\"maximum\":4,\"multipleOf\":5}",
      "minItems|{\"type\":\"array\",\"minItems\":3,\"maxItems\":1}",
      "required|{\"type\":\"object\",\"required\":[\"x\"],\"additionalProperties\":false}",
      "false|{\"type\":\"object\",\"properties\":{\"x\":false},\"required\":[\"x\"]}",
      "oneOf|{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"string\",\"minLength\":0}]}",
      "$ref|{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}"})
  void anUnsatisfiableSchemaIsReportedByKeyword(String keyword, String schema) throws Exception {
    JsonNode s = Json.MAPPER.readTree(schema);
    assertThatThrownBy(() -> new SchemaInstance(s, List.of("out"), "p").build())
        .isInstanceOf(SchemaInstance.Unsatisfiable.class).hasMessageContaining("keyword '" + keyword + "'");
  }

  /** A random satisfiable schema tree. */
  static final class Gen {
    final Random r;
    int refs;

    Gen(Random r) {
      this.r = r;
    }

    ObjectNode root() {
      ObjectNode root = object(0);
      ObjectNode node = F.objectNode().put("type", "object");
      node.putObject("properties").set("label", string());
      ((ObjectNode) node.get("properties")).putObject("children").put("type", "array").putObject("items")
          .put("$ref", "#/$defs/node");
      ((ObjectNode) node.get("properties")).putObject("parent").putArray("anyOf").add(F.objectNode().put("$ref",
          "#/$defs/node")).add(F.objectNode().put("type", "null"));
      node.putArray("required").add("label").add("children").add("parent");
      node.put("additionalProperties", false);
      root.putObject("$defs").set("node", node);
      return root;
    }

    JsonNode any(int depth) {
      int k = r.nextInt(depth > 3 ? 7 : 13);
      return switch (k) {
        case 0, 1 -> string();
        case 2 -> integer();
        case 3 -> number();
        case 4 -> F.objectNode().put("type", "boolean");
        case 5 -> enumOrConst();
        case 6 -> F.objectNode().set("type", F.arrayNode().add("string").add("null"));
        case 7, 8 -> object(depth + 1);
        case 9 -> array(depth + 1);
        case 10 -> anyOf(depth + 1);
        case 11 -> oneOf(depth + 1);
        default -> {
          refs++;
          yield F.objectNode().put("$ref", "#/$defs/node");
        }
      };
    }

    ObjectNode string() {
      ObjectNode s = F.objectNode().put("type", "string");
      int kind = r.nextInt(4);
      if (kind == 1) {
        Pat p = PATTERNS.get(r.nextInt(PATTERNS.size()));
        s.put("pattern", p.regex());
        if (r.nextBoolean()) {
          s.put("minLength", r.nextInt(p.min() + 1));
        }
        if (r.nextBoolean()) {
          s.put("maxLength", (p.max() < 0 ? p.min() + 10 : p.max()) + r.nextInt(3));
        }
      } else if (kind == 2) {
        s.put("format", FORMATS.get(r.nextInt(FORMATS.size())));
      } else if (kind == 3) {
        int min = r.nextInt(30);
        s.put("minLength", min).put("maxLength", min + r.nextInt(5));
      }
      return s;
    }

    ObjectNode integer() {
      ObjectNode s = F.objectNode().put("type", "integer");
      int lo = r.nextInt(200) - 100;
      int width = r.nextInt(50);
      if (r.nextBoolean()) {
        s.put("minimum", lo);
      }
      if (r.nextBoolean()) {
        s.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + width + 1);
      }
      if (r.nextInt(3) == 0) {
        s.put("multipleOf", 1 + r.nextInt(Math.max(1, width / 2 + 1)));
      }
      return s;
    }

    ObjectNode number() {
      ObjectNode s = F.objectNode().put("type", "number");
      double lo = (r.nextInt(40) - 20) / 4.0;
      if (r.nextBoolean()) {
        s.put(r.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
      }
      if (r.nextBoolean()) {
        s.put("maximum", lo + 2 + r.nextInt(10));
      }
      if (r.nextInt(3) == 0) {
        s.put("multipleOf", List.of(0.5, 0.25, 0.1).get(r.nextInt(3)));
      }
      return s;
    }

    JsonNode enumOrConst() {
      List<JsonNode> values = List.of(F.textNode("alpha"), F.numberNode(3), F.booleanNode(false), F.nullNode(),
          F.textNode("beta gamma"), F.objectNode().put("k", 1));
      if (r.nextBoolean()) {
        return F.objectNode().set("const", values.get(r.nextInt(values.size())));
      }
      ArrayNode e = F.arrayNode();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        JsonNode v = values.get(r.nextInt(values.size()));
        if (!e.toString().contains(v.toString())) {
          e.add(v);
        }
      }
      return F.objectNode().set("enum", e);
    }

    ObjectNode object(int depth) {
      ObjectNode s = F.objectNode().put("type", "object");
      ObjectNode props = s.putObject("properties");
      ArrayNode required = s.putArray("required");
      int n = r.nextInt(depth == 0 ? 6 : 4) + (depth == 0 ? 1 : 0);
      for (int i = 0; i < n; i++) {
        String name = "p" + depth + "_" + i;
        props.set(name, any(depth));
        if (r.nextInt(3) > 0) {
          required.add(name);
        }
      }
      if (r.nextBoolean()) {
        s.put("additionalProperties", false);
      }
      if (r.nextInt(4) == 0) {
        s.put("minProperties", r.nextInt(n + 1));
      }
      return s;
    }

    ObjectNode array(int depth) {
      ObjectNode s = F.objectNode().put("type", "array");
      JsonNode items = r.nextBoolean() ? string() : any(depth);
      s.set("items", items);
      int min = r.nextInt(4);
      s.put("minItems", min);
      if (r.nextBoolean()) {
        s.put("maxItems", min + r.nextInt(3));
      }
      boolean plainStrings = "string".equals(items.path("type").asText()) && !items.has("pattern")
          && !items.has("format") && items.path("maxLength").asInt(99) > 3;
      if (plainStrings && r.nextBoolean()) {
        s.put("uniqueItems", true);
      }
      return s;
    }

    ObjectNode anyOf(int depth) {
      ArrayNode branches = F.arrayNode();
      int n = 2 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        branches.add(any(depth));
      }
      return F.objectNode().set("anyOf", branches);
    }

    /** Branches of distinct types, so exactly one can match. */
    ObjectNode oneOf(int depth) {
      List<JsonNode> pool = new ArrayList<>(List.of(string(), integer(), F.objectNode().put("type", "boolean"),
          F.objectNode().put("type", "null"), object(depth), array(depth)));
      java.util.Collections.shuffle(pool, r);
      ArrayNode branches = F.arrayNode();
      int n = 2 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        branches.add(pool.get(i));
      }
      return F.objectNode().set("oneOf", branches);
    }
  }
}
