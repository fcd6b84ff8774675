package dev.runner.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.runner.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official OpenAI OpenAPI document, as the subset of its component schemas the tests use
 * ({@code conformance/openai-openapi-subset.json} in the test resources, made by
 * {@code ci/conformance/update-openapi-subset.sh}), as JSON Schema validators. OpenAPI 3.1 schemas are JSON Schema draft 2020-12; {@code #/components/...}
 * references resolve inside the loaded document, so nothing is fetched.
 *
 * <p>Two deliberate rewrites of the loaded document, applied everywhere:
 * <ul>
 * <li>every {@code oneOf} is read as {@code anyOf}: unions such as {@code InputItem} list branches that overlap (an
 * ordinary user message matches both {@code EasyInputMessage} and {@code InputMessage}), so strict {@code oneOf}
 * rejects what every real client sends (PROTOCOL.md §5). We still require at least one branch to match.
 * <li>{@code $recursiveRef: "#"} (a draft 2019-09 keyword 2020-12 ignores, so that branch would accept anything) becomes
 * a {@code $ref} to the component it sits in, which is what it meant.
 * </ul>
 *
 * <p>Compiling the schemas takes a while, so the document is loaded once per JVM by {@link #get()}.
 */
final class OpenApiSpec {
  /** Base URI the document is registered under; never fetched. */
  private static final String BASE = "https://conformance.runner.dev/openai-openapi.json";
  private static final Pattern BRANCH = Pattern.compile("/anyOf/\\d+");

  private final SchemaRegistry registry;
  private final JsonNode components;
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  private OpenApiSpec(JsonNode document) {
    this.components = document.path("components").path("schemas");
    String json = document.toString();
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .locale(Locale.ENGLISH)
        .pathType(PathType.JSON_POINTER)
        .build();
    this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaRegistryConfig(config).schemas(Map.of(BASE, json)));
  }

  /** The subset file in the test resources. */
  static Path file() {
    return Fixtures.file("conformance/openai-openapi-subset.json");
  }

  /** The loaded spec, compiled once per JVM. */
  static OpenApiSpec get() {
    return Holder.SPEC;
  }

  /** Whether the spec defines a component schema called {@code name}. */
  boolean has(String name) {
    return components.has(name);
  }

  /** The raw (rewritten) component schema, for tests that read required-field lists. */
  JsonNode component(String name) {
    return components.path(name);
  }

  /**
   * Errors of {@code document} against component schema {@code name}, as {@code pointer: message} strings; empty when
   * valid.
   *
   * @throws IllegalArgumentException when the spec has no such component
   */
  List<String> errors(String name, JsonNode document) {
    List<Error> errors = relevant(schema(name).validate(document));
    List<String> out = new ArrayList<>(errors.size());
    for (Error e : errors) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage() + " (" + e.getKeyword() + ")");
    }
    return out;
  }

  /**
   * Keeps the errors of the union branches that could have been meant. An {@code anyOf} over 50 event types reports
   * every branch's errors; a branch whose {@code type} discriminator already failed ({@code enum}/{@code const} at a
   * {@code /type} location) was not the intended one, so its errors, and the {@code anyOf} summary, are noise. When no
   * branch survives, everything is returned (the type itself is wrong).
   */
  static List<Error> relevant(List<Error> errors) {
    Set<String> wrongBranches = new HashSet<>();
    for (Error e : errors) {
      String keyword = String.valueOf(e.getKeyword());
      if ((keyword.equals("enum") || keyword.equals("const")) && e.getInstanceLocation().toString().endsWith("/type")) {
        String path = e.getEvaluationPath().toString();
        Matcher m = BRANCH.matcher(path);
        int end = -1;
        while (m.find()) {
          end = m.end();
        }
        if (end > 0) {
          wrongBranches.add(path.substring(0, end) + "/");
        }
      }
    }
    List<Error> kept = errors.stream().filter(e -> !"anyOf".equals(e.getKeyword()))
        .filter(e -> wrongBranches.stream().noneMatch(w -> (e.getEvaluationPath() + "/").startsWith(w))).toList();
    return kept.isEmpty() ? errors : kept;
  }

  /** The compiled validator for component schema {@code name}. */
  Schema schema(String name) {
    if (!has(name)) {
      throw new IllegalArgumentException("the OpenAPI spec has no component schema '" + name + "'");
    }
    return compiled.computeIfAbsent(name, compile());
  }

  private Function<String, Schema> compile() {
    return n -> {
      Schema s = registry.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + n));
      s.initializeValidators();
      return s;
    };
  }

  static JsonNode load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      JsonNode doc = new ObjectMapper().readTree(in);
      JsonNode schemas = doc.path("components").path("schemas");
      schemas.properties().forEach(e -> rewrite(e.getValue(), e.getKey()));
      return doc;
    }
  }

  /** Applies the two rewrites described on the class, in place. */
  static void rewrite(JsonNode node, String component) {
    if (node instanceof ObjectNode object) {
      JsonNode oneOf = object.remove("oneOf");
      if (oneOf != null) {
        JsonNode anyOf = object.get("anyOf");
        if (anyOf instanceof ArrayNode both) {
          // Both keywords on one schema: keep both constraints as an allOf of two anyOfs.
          ObjectNode a = object.objectNode().set("anyOf", both);
          ObjectNode b = object.objectNode().set("anyOf", oneOf);
          object.remove("anyOf");
          object.set("allOf", object.arrayNode().add(a).add(b).addAll(arrayOrEmpty(object.get("allOf"))));
        } else {
          object.set("anyOf", oneOf);
        }
      }
      if (object.has("$recursiveRef")) {
        object.remove("$recursiveRef");
        object.put("$ref", "#/components/schemas/" + component);
      }
      object.properties().forEach(e -> rewrite(e.getValue(), component));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> rewrite(child, component));
    }
  }

  private static ArrayNode arrayOrEmpty(JsonNode node) {
    return node instanceof ArrayNode a ? a : new ObjectMapper().createArrayNode();
  }

  /** Loaded on first use, once per JVM. */
  private static final class Holder {
    static final OpenApiSpec SPEC = loadOrThrow();

    private static OpenApiSpec loadOrThrow() {
      try {
        return new OpenApiSpec(load(file()));
      } catch (IOException e) {
        throw new IllegalStateException("could not read the OpenAPI spec at " + file(), e);
      }
    }
  }
}
