package dev.runner.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SpecificationVersion;
import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an {@code --output-schema} file and proves it is a usable JSON Schema: readable, valid JSON, a JSON object,
 * written in a draft the validator knows, valid against that draft's meta-schema, with only local references. Every
 * failure is a usage error (exit 2) naming the file and, where there is one, the line and column or the JSON Pointer.
 */
final class SchemaFile {
  /** How many meta-schema errors one message spells out. */
  private static final int ERROR_LIMIT = 5;
  /** Keywords whose values are data, not subschemas, so a {@code "$ref"} inside them is not a reference. */
  private static final Set<String> DATA_KEYWORDS = Set.of("enum", "const", "default", "examples");

  static final ObjectMapper STRICT_JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private SchemaFile() {}

  /** Reads and checks {@code file}; the returned tree is the user's schema exactly as written. */
  static JsonNode read(Path file, Validators validators) {
    JsonNode schema = parse(file, readText(file));
    SpecificationVersion draft = Validators.draftOf(schema)
        .orElseThrow(() -> RunnerException.config(
            "output schema " + file + " declares an unknown $schema " + schema.get("$schema"),
            "use one of " + Arrays.stream(SpecificationVersion.values())
                .map(SpecificationVersion::getDialectId)
                .collect(Collectors.joining(", ")) + ", or drop $schema for draft 2020-12"));
    requireLocalRefs(file, schema, "");
    List<Error> errors = validators.checkAgainstMetaSchema(schema, draft);
    if (!errors.isEmpty()) {
      String shown = errors.stream()
          .limit(ERROR_LIMIT)
          .map(e -> Validators.toViolation(e).toString())
          .collect(Collectors.joining("; "));
      int rest = errors.size() - ERROR_LIMIT;
      throw RunnerException.config(
          "output schema " + file + " is not a valid JSON Schema (" + draftName(draft) + "): " + shown
              + (rest > 0 ? "; and " + rest + " more" : ""),
          "fix the keyword at each JSON Pointer shown (see https://json-schema.org/understanding-json-schema/)");
    }
    return schema;
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw RunnerException.config("output schema file " + file + " does not exist",
          "check the --output-schema path (relative paths start at the current directory)", e);
    } catch (AccessDeniedException e) {
      throw RunnerException.config("output schema file " + file + " is not readable (permission denied)",
          "check the file's permissions", e);
    } catch (IOException e) {
      throw RunnerException.config("cannot read output schema file " + file + ": " + e.getMessage(),
          "--output-schema must name a readable UTF-8 JSON file", e);
    }
  }

  private static JsonNode parse(Path file, String text) {
    JsonNode schema;
    try {
      schema = STRICT_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw RunnerException.config(
          "output schema " + file + " is not valid JSON" + where + ": " + readable(e.getOriginalMessage()),
          "fix the JSON syntax there (`jq . " + file + "` shows the same spot)", e);
    }
    if (schema == null || schema.isMissingNode()) {
      throw RunnerException.config("output schema " + file + " is empty", "write a JSON Schema object in it");
    }
    if (!schema.isObject()) {
      throw RunnerException.config(
          "output schema " + file + " must be a JSON object (a JSON Schema), found " + schema.getNodeType()
              .toString()
              .toLowerCase(Locale.ROOT),
          "write the schema as an object, e.g. {\"type\": \"object\", \"properties\": {...}}");
    }
    return schema;
  }

  /** Refuses references the validator would fetch over the network, which a CI run must never depend on. */
  private static void requireLocalRefs(Path file, JsonNode node, String pointer) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireLocalRefs(file, node.get(i), pointer + "/" + i);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String at = pointer + "/" + Pointers.escape(key);
      if ((key.equals("$ref") || key.equals("$dynamicRef")) && value.isTextual() && !value.asText().startsWith("#")) {
        throw RunnerException.config("output schema " + file + " has a non-local reference " + value + " at " + at,
            "inline the referenced schema under $defs and point to it with \"#/$defs/NAME\"");
      }
      if (!DATA_KEYWORDS.contains(key)) {
        requireLocalRefs(file, value, at);
      }
    }
  }

  static String draftName(SpecificationVersion draft) {
    return switch (draft) {
      case DRAFT_4 -> "draft-04";
      case DRAFT_6 -> "draft-06";
      case DRAFT_7 -> "draft-07";
      case DRAFT_2019_09 -> "draft 2019-09";
      case DRAFT_2020_12 -> "draft 2020-12";
    };
  }

  /** Jackson's parse message without its internals (the source description, feature names). */
  static String readable(String jackson) {
    return String.valueOf(jackson)
        .replaceAll("\\s*\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)",
            " (opened at line $1, column $2)")
        .replace("Unexpected end-of-input: expected close marker for Object",
            "the file ends inside an object (a '}' is missing)")
        .replace("Unexpected end-of-input: expected close marker for Array",
            "the file ends inside an array (a ']' is missing)")
        .replaceAll("\\s*\\[Source: .*?\\]", "");
  }
}
