package dev.runner.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictNormalizerTest {
  @TempDir
  Path dir;

  private OutputSchema load(String json) throws IOException {
    return OutputSchema.load(Files.writeString(dir.resolve("schema.json"), json));
  }

  private static JsonNode json(String text) throws IOException {
    return SchemaFile.STRICT_JSON.readTree(text);
  }

  @Test
  void alreadyStrictSchemaIsSentUntouched() throws IOException {
    String strict = "{\"type\": \"object\", \"properties\": {\"greeting\": {\"type\": \"string\"}},"
        + " \"required\": [\"greeting\"], \"additionalProperties\": false}";
    OutputSchema schema = load(strict);
    assertThat(schema.strict()).isTrue();
    assertThat(schema.warnings()).isEmpty();
    assertThat(schema.sentSchema()).isEqualTo(json(strict));
    assertThat(schema.textFormat()).isEqualTo(json("{\"type\": \"json_schema\", \"name\": \"codex_output_schema\","
        + " \"strict\": true, \"schema\": " + strict + "}"));
  }

  @Test
  void rootSchemaAndIdAreNotSent() throws IOException {
    OutputSchema schema = load("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
        + " \"$id\": \"https://runner.dev/schemas/x\", \"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}},"
        + " \"required\": [\"a\"], \"additionalProperties\": false}");
    assertThat(schema.sentSchema().has("$schema")).isFalse();
    assertThat(schema.sentSchema().has("$id")).isFalse();
    assertThat(schema.original().has("$schema")).isTrue();
    assertThat(schema.warnings()).isEmpty();
  }

  @Test
  void missingAdditionalPropertiesIsAddedWithAWarning() throws IOException {
    OutputSchema schema = load("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}},"
        + " \"required\": [\"a\"]}");
    assertThat(schema.strict()).isTrue();
    assertThat(schema.sentSchema().get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(schema.original().has("additionalProperties")).isFalse();
    assertThat(schema.warnings()).containsExactly(
        "output schema: (root): added \"additionalProperties\": false (strict mode forbids undeclared properties)");
  }

  @Test
  void optionalPropertiesBecomeRequiredKeepingTheirType() throws IOException {
    OutputSchema schema = load("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"},"
        + " \"b\": {\"type\": \"integer\"}, \"c\": {\"type\": [\"string\", \"null\"]}}, \"required\": [\"b\"],"
        + " \"additionalProperties\": false}");
    assertThat(schema.strict()).isTrue();
    assertThat(schema.sentSchema().get("required")).isEqualTo(json("[\"b\", \"a\", \"c\"]"));
    assertThat(schema.sentSchema().at("/properties/a")).isEqualTo(json("{\"type\": \"string\"}"));
    assertThat(schema.warnings()).singleElement()
        .asString()
        .startsWith("output schema: (root): made optional properties a, c required");
    // The narrowed schema is still satisfied by answers the original accepts only when all are present.
    assertThat(schema.validate("{\"b\": 1}").valid()).isTrue();
  }

  @Test
  void nestedObjectsAndArraysOfObjectsAreClosedAtTheirPointers() throws IOException {
    OutputSchema schema = load("{\"type\": \"object\", \"properties\": {"
        + "\"meta\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}},"
        + "\"findings\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/finding\"}}},"
        + " \"$defs\": {\"finding\": {\"type\": \"object\", \"properties\": {\"file\": {\"type\": \"string\"}},"
        + " \"required\": [\"file\"]}}}");
    ObjectNode sent = schema.sentSchema();
    assertThat(schema.strict()).isTrue();
    assertThat(sent.at("/additionalProperties").asBoolean(true)).isFalse();
    assertThat(sent.at("/properties/meta/additionalProperties").asBoolean(true)).isFalse();
    assertThat(sent.at("/properties/meta/required")).isEqualTo(json("[\"n\"]"));
    assertThat(sent.at("/$defs/finding/additionalProperties").asBoolean(true)).isFalse();
    assertThat(sent.at("/required")).isEqualTo(json("[\"meta\", \"findings\"]"));
    assertThat(schema.warnings()).extracting(w -> w.substring(0, w.indexOf(':', "output schema: ".length())))
        .containsExactly("output schema: (root)", "output schema: (root)", "output schema: /properties/meta",
            "output schema: /properties/meta", "output schema: /$defs/finding");
  }

  @Test
  void inlineArrayItemsObjectIsClosed() throws IOException {
    OutputSchema schema = load("{\"type\": \"object\", \"properties\": {\"rows\": {\"type\": \"array\","
        + " \"items\": {\"type\": \"object\", \"properties\": {\"k\": {\"type\": \"string\"}}}}},"
        + " \"required\": [\"rows\"], \"additionalProperties\": false}");
    assertThat(schema.sentSchema().at("/properties/rows/items")).isEqualTo(json("{\"type\": \"object\","
        + " \"properties\": {\"k\": {\"type\": \"string\"}}, \"additionalProperties\": false, \"required\": [\"k\"]}"));
  }

  @Test
  void mapSchemaSwitchesStrictOffAndIsSentAsWritten() throws IOException {
    String map = "{\"type\": \"object\", \"properties\": {\"counts\": {\"type\": \"object\","
        + " \"additionalProperties\": {\"type\": \"integer\"}}}, \"required\": [\"counts\"]}";
    OutputSchema schema = load(map);
    assertThat(schema.strict()).isFalse();
    assertThat(schema.sentSchema()).isEqualTo(json(map));
    assertThat(schema.textFormat().get("strict").asBoolean(true)).isFalse();
    assertThat(schema.warnings()).hasSize(2);
    assertThat(schema.warnings().get(0)).startsWith("output schema: sending it with strict:false");
    assertThat(schema.warnings().get(1)).startsWith("output schema: /properties/counts allows extra properties");
  }

  @Test
  void unsupportedKeywordsAreEachReported() throws IOException {
    OutputSchema schema = load(
        "{\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\", \"minLength\": 1},"
            + " \"v\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]},"
            + " \"u\": {\"type\": \"string\", \"format\": \"uri\"}}, \"required\": [\"s\", \"v\", \"u\"],"
            + " \"additionalProperties\": false}");
    assertThat(schema.strict()).isFalse();
    assertThat(schema.warnings()).contains(
        "output schema: /properties/s uses \"minLength\", which strict mode does not support",
        "output schema: /properties/v uses \"oneOf\", which strict mode does not support");
    assertThat(schema.warnings()).anyMatch(w -> w.startsWith("output schema: /properties/u uses format \"uri\""));
  }

  @Test
  void nonObjectRootAndFreeFormObjectsSwitchStrictOff() throws IOException {
    assertThat(load("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}").warnings())
        .contains(
            "output schema: (root) must be a plain object schema ({\"type\": \"object\", \"properties\": {...}})");
    assertThat(load("{\"type\": \"object\"}").warnings())
        .contains("output schema: (root) is an object with no declared properties; strict mode would only allow {}");
  }
}
