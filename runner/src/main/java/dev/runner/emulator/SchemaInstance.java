package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds an instance of a JSON Schema the way a model would fill a structured answer: objects with their properties,
 * strings and string arrays taken from what the tools printed (then the prompt), integers from the first output that
 * is a number, enums and consts as given. A scenario that knows what its commands found passes those findings as
 * facts: an object property whose name has a fact that fits its schema gets the fact instead of filler, so
 * {@code languages} holds languages and not file names.
 *
 * <p>Any satisfiable schema of the usual keywords gets a valid instance: {@code $ref}/{@code $defs} (recursive ones
 * too: past a few levels only required properties and {@code minItems} items are built, and unions take the branch
 * that ends soonest), {@code allOf} (merged), {@code anyOf}/{@code oneOf} (each branch tried, the candidate checked
 * against the union), {@code const}, {@code enum}, {@code format}, {@code pattern} (see {@link StringValues}), length,
 * item, property and number bounds, {@code multipleOf}. The result is validated; when no instance is found the schema
 * is reported {@link Unsatisfiable} with the keyword at fault.
 */
final class SchemaInstance {
  /** No instance was found; {@code keyword} is the JSON Schema keyword that could not be met, at {@code where}. */
  static final class Unsatisfiable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String keyword;
    final String where;

    Unsatisfiable(String keyword, String where, String detail) {
      super("keyword '" + keyword + "' at " + (where.isEmpty() ? "/" : where) + ": " + detail, null, false, false);
      this.keyword = keyword;
      this.where = where;
    }
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Past this depth only what is required is built, so recursive schemas end. */
  private static final int SOFT_DEPTH = 4;
  private static final int MAX_DEPTH = 64;

  private final JsonNode root;
  private final SchemaResolver resolver;
  private final List<String> sources;
  private final List<String> lines;
  private final Long number;
  private final Function<String, JsonNode> facts;
  private final StringValues strings = new StringValues(1);
  private int cursor;

  SchemaInstance(JsonNode root, List<String> toolOutputs, String prompt) {
    this(root, toolOutputs, prompt, property -> null);
  }

  /** {@code facts} maps a property name to what is known for it, or null. */
  SchemaInstance(JsonNode root, List<String> toolOutputs, String prompt, Function<String, JsonNode> facts) {
    this.root = root;
    this.resolver = new SchemaResolver(root);
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

  /**
   * A valid instance.
   *
   * @throws Unsatisfiable when none was found, naming the keyword
   */
  JsonNode build() {
    JsonNode instance = build(root, "", 0);
    String keyword = resolver.firstViolation(root, instance);
    if (keyword != null) {
      throw new Unsatisfiable(keyword, "", "the built instance " + abbreviate(instance) + " still violates it ("
          + resolver.describe(root, instance) + ")");
    }
    return instance;
  }

  private JsonNode build(JsonNode schema, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw new Unsatisfiable("$ref", where, "the schema recurses without a finite instance");
    }
    JsonNode s = resolver.flatten(schema, where);
    if (s.isBoolean()) {
      if (!s.asBoolean()) {
        throw new Unsatisfiable("false", where, "the schema 'false' accepts nothing");
      }
      return F.textNode(nextSource());
    }
    if (s.has("const")) {
      return s.get("const");
    }
    if (s.has("enum")) {
      return enumValue(s, where);
    }
    for (String union : new String[]{"oneOf", "anyOf"}) {
      if (s.has(union)) {
        return union(s, union, where, depth);
      }
    }
    return switch (type(s)) {
      case "object" -> object(s, where, depth);
      case "array" -> array(s, where, depth);
      case "integer" -> Numbers.integer(s, number, where);
      case "number" -> Numbers.number(s, number, where);
      case "boolean" -> F.booleanNode(true);
      case "null" -> F.nullNode();
      default -> F.textNode(strings.make(s, nextSource(), where));
    };
  }

  private JsonNode enumValue(JsonNode s, String where) {
    JsonNode values = s.get("enum");
    if (!values.isArray() || values.isEmpty()) {
      throw new Unsatisfiable("enum", where, "an empty enum accepts nothing");
    }
    JsonNode rest = ((ObjectNode) s.deepCopy()).without("enum");
    JsonNode fallback = null;
    for (JsonNode e : values) {
      if (resolver.valid(rest, e)) {
        if (!e.isNull()) {
          return e;
        }
        fallback = e;
      }
    }
    if (fallback != null) {
      return fallback;
    }
    throw new Unsatisfiable("enum", where, "no value of " + values + " fits the schema's other keywords");
  }

  /** Each branch merged with the schema around it, in the order that ends soonest when deep; the first that fits. */
  private JsonNode union(JsonNode s, String union, String where, int depth) {
    ObjectNode rest = ((ObjectNode) s.deepCopy()).without(union);
    List<JsonNode> branches = new ArrayList<>();
    s.get(union).forEach(branches::add);
    if (branches.isEmpty()) {
      throw new Unsatisfiable(union, where, "an empty " + union + " accepts nothing");
    }
    List<JsonNode> order = new ArrayList<>(branches);
    order.sort((a, b) -> Integer.compare(rank(a, depth), rank(b, depth)));
    Unsatisfiable last = null;
    for (JsonNode branch : order) {
      try {
        JsonNode candidate = build(resolver.merge(rest, branch), where, depth + 1);
        if (resolver.valid(s, candidate)) {
          return candidate;
        }
      } catch (Unsatisfiable e) {
        last = e;
      }
    }
    throw new Unsatisfiable(union, where, "no branch gave an instance that " + (union.equals("oneOf")
        ? "matches exactly one branch"
        : "matches") + (last == null ? "" : " (last: " + last.getMessage() + ")"));
  }

  /** Shallow first: near the top a real answer's branch (non-null); deep down the one least likely to recurse. */
  private int rank(JsonNode branch, int depth) {
    JsonNode b = resolver.flatten(branch, "");
    boolean isNull = b.isObject() && "null".equals(b.path("type").asText());
    boolean nested = b.isObject() && (b.has("$ref") || b.has("properties") || b.has("items")
        || "object".equals(b.path("type").asText()) || "array".equals(b.path("type").asText()));
    if (depth <= SOFT_DEPTH) {
      return isNull ? 2 : 0;
    }
    return isNull ? 0 : nested ? 2 : 1;
  }

  private static String type(JsonNode s) {
    JsonNode t = s.get("type");
    if (t == null) {
      if (s.has("properties") || s.has("required") || s.has("additionalProperties")) {
        return "object";
      }
      if (s.has("items") || s.has("prefixItems") || s.has("minItems")) {
        return "array";
      }
      if (s.has("minimum") || s.has("maximum") || s.has("multipleOf") || s.has("exclusiveMinimum")
          || s.has("exclusiveMaximum")) {
        return "number";
      }
      return "string";
    }
    if (t.isArray()) {
      for (JsonNode x : t) {
        if (!"null".equals(x.asText())) {
          return x.asText();
        }
      }
      return t.isEmpty() ? "string" : "null";
    }
    return t.asText();
  }

  private JsonNode object(JsonNode s, String where, int depth) {
    ObjectNode out = F.objectNode();
    JsonNode props = s.path("properties");
    Set<String> required = new LinkedHashSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    boolean deep = depth > SOFT_DEPTH;
    for (Map.Entry<String, JsonNode> p : props.properties()) {
      if (deep && !required.contains(p.getKey())) {
        continue;
      }
      JsonNode fact = facts.apply(p.getKey());
      JsonNode fitted = fact == null ? null : fitFact(p.getValue(), fact);
      out.set(p.getKey(), fitted != null ? fitted : build(p.getValue(), where + "/" + p.getKey(), depth + 1));
    }
    JsonNode additional = s.get("additionalProperties");
    for (String name : required) {
      if (!out.has(name)) {
        if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
          throw new Unsatisfiable("required", where, "'" + name + "' is required but additionalProperties is false "
              + "and properties does not list it");
        }
        out.set(name, build(additional == null ? F.objectNode() : additional, where + "/" + name, depth + 1));
      }
    }
    int minProperties = s.path("minProperties").asInt(0);
    for (int i = 1; out.size() < minProperties; i++) {
      if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
        throw new Unsatisfiable("minProperties", where, "needs " + minProperties + " properties, only "
            + out.size() + " are allowed");
      }
      out.set("extra_" + i, build(additional == null ? F.objectNode() : additional, where + "/extra_" + i,
          depth + 1));
    }
    int maxProperties = s.has("maxProperties") ? s.get("maxProperties").asInt() : Integer.MAX_VALUE;
    if (required.size() > maxProperties) {
      throw new Unsatisfiable("maxProperties", where, required.size() + " required properties > maxProperties "
          + maxProperties);
    }
    List<String> names = new ArrayList<>();
    out.fieldNames().forEachRemaining(names::add);
    for (int i = names.size() - 1; i >= 0 && out.size() > maxProperties; i--) {
      if (!required.contains(names.get(i))) {
        out.remove(names.get(i));
      }
    }
    return out;
  }

  /** The fact shaped to the property's schema, or null when it cannot fit (the property is then filled as usual). */
  private JsonNode fitFact(JsonNode schema, JsonNode fact) {
    JsonNode s = nonNullBranch(resolver.flatten(schema, ""));
    if (s == null || !s.isObject() || s.has("enum") || s.has("const") || s.has("pattern") || s.has("format")) {
      return null;
    }
    JsonNode fitted = shapeFact(s, fact);
    return fitted != null && resolver.valid(schema, fitted) ? fitted : null;
  }

  private JsonNode shapeFact(JsonNode s, JsonNode fact) {
    String type = type(s);
    int min = s.path("minLength").asInt(0);
    int max = s.has("maxLength") ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
    if (type.equals("string") && fact.isTextual()) {
      return F.textNode(StringValues.fit(fact.asText(), min, max));
    }
    if (type.equals("string") && fact.isArray() && !fact.isEmpty()) {
      List<String> parts = new ArrayList<>();
      fact.forEach(x -> parts.add(x.asText()));
      return F.textNode(StringValues.fit(String.join(", ", parts), min, max));
    }
    if ((type.equals("integer") || type.equals("number")) && fact.isIntegralNumber()) {
      long v = Numbers.clamp(s, fact.asLong());
      return type.equals("integer") ? F.numberNode(v) : F.numberNode((double) v);
    }
    if (type.equals("array") && fact.isArray()) {
      JsonNode items = nonNullBranch(resolver.flatten(s.path("items"), ""));
      if (items == null || !items.isObject() || !"string".equals(type(items)) || items.has("enum")
          || items.has("const") || items.has("pattern") || fact.size() < s.path("minItems").asInt(0)) {
        return null;
      }
      int maxItems = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
      ArrayNode out = F.arrayNode();
      for (int i = 0; i < Math.min(maxItems, fact.size()); i++) {
        out.add(StringValues.fit(fact.get(i).asText(), items.path("minLength").asInt(0),
            items.has("maxLength") ? items.get("maxLength").asInt() : Integer.MAX_VALUE));
      }
      return out;
    }
    return null;
  }

  /** A nullable union's non-null branch, flattened; the schema itself when it is no union. */
  private JsonNode nonNullBranch(JsonNode s) {
    for (String union : new String[]{"anyOf", "oneOf"}) {
      if (s.has(union)) {
        for (JsonNode branch : s.get(union)) {
          JsonNode b = resolver.flatten(branch, "");
          if (b.isObject() && !"null".equals(b.path("type").asText())) {
            return b;
          }
        }
        return null;
      }
    }
    return s;
  }

  private JsonNode array(JsonNode s, String where, int depth) {
    int min = s.path("minItems").asInt(0);
    int max = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
    if (min > max) {
      throw new Unsatisfiable("minItems", where, "minItems " + min + " > maxItems " + max);
    }
    ArrayNode out = F.arrayNode();
    JsonNode prefix = s.path("prefixItems");
    JsonNode items = s.has("items") ? s.get("items") : F.objectNode();
    if (items.isBoolean() && !items.asBoolean() && min > prefix.size()) {
      throw new Unsatisfiable("minItems", where, "needs " + min + " items but items is false after "
          + prefix.size() + " prefixItems");
    }
    JsonNode itemSchema = resolver.flatten(items, where);
    // plain strings take one tool output line each; anything else (unions included) is built per item
    boolean strings = itemSchema.isObject() && "string".equals(itemSchema.path("type").asText())
        && !itemSchema.has("enum") && !itemSchema.has("const") && !itemSchema.has("pattern")
        && !itemSchema.has("format") && !itemSchema.has("anyOf") && !itemSchema.has("oneOf");
    int wanted = depth > SOFT_DEPTH ? min : strings ? Math.min(lines.size(), 10) : 1;
    int n = Math.min(Math.max(Math.max(min, wanted), Math.min(prefix.size(), max)), max);
    boolean unique = s.path("uniqueItems").asBoolean(false);
    for (int i = 0; i < n; i++) {
      String at = where + "/" + i;
      JsonNode item;
      if (i < prefix.size()) {
        item = build(prefix.get(i), at, depth + 1);
      } else if (strings) {
        item = F.textNode(StringValues.fit(lines.get(i % lines.size()) + (i >= lines.size() ? " " + i : ""),
            itemSchema.path("minLength").asInt(0), itemSchema.has("maxLength")
                ? itemSchema.get("maxLength").asInt()
                : Integer.MAX_VALUE));
      } else {
        item = build(items, at, depth + 1);
      }
      if (unique && contains(out, item)) {
        item = distinct(items, out, item, at, depth);
      }
      out.add(item);
    }
    return out;
  }

  private static boolean contains(ArrayNode array, JsonNode item) {
    for (JsonNode x : array) {
      if (x.equals(item)) {
        return true;
      }
    }
    return false;
  }

  /** Another value for a uniqueItems array: the item schema's other enum values, or a fresh build. */
  private JsonNode distinct(JsonNode items, ArrayNode out, JsonNode item, String where, int depth) {
    JsonNode s = resolver.flatten(items, where);
    if (s.isObject() && s.has("enum")) {
      for (JsonNode e : s.get("enum")) {
        if (!contains(out, e) && resolver.valid(items, e)) {
          return e;
        }
      }
    }
    for (int attempt = 0; attempt < 8; attempt++) {
      JsonNode again = build(items, where, depth + 1);
      if (!contains(out, again)) {
        return again;
      }
      if (again.isTextual()) {
        JsonNode suffixed = F.textNode(again.asText() + " " + (out.size() + attempt));
        if (!contains(out, suffixed) && resolver.valid(items, suffixed)) {
          return suffixed;
        }
      }
      if (again.isNumber()) {
        JsonNode bumped = F.numberNode(again.asLong() + out.size() + attempt);
        if (!contains(out, bumped) && resolver.valid(items, bumped)) {
          return bumped;
        }
      }
    }
    throw new Unsatisfiable("uniqueItems", where, "no further distinct item after " + out.size());
  }

  private String nextSource() {
    String v = sources.get(cursor % sources.size());
    cursor++;
    return v;
  }

  private static String abbreviate(JsonNode instance) {
    String text = instance.toString();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
