package dev.runner.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSchemasTest {
  @Test
  void optionalPropertiesBecomeRequiredAndNullableInStrictMode() throws Exception {
    InputSchemas.Parameters p = InputSchemas.parameters(schema("""
        {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
         "properties": {"path": {"type": "string"}, "head": {"type": "number", "default": 10},
                        "mode": {"enum": ["a", "b"]}},
         "required": ["path"]}
        """));

    assertThat(p.strict()).isTrue();
    assertThat(p.schema()).isEqualTo(Json.MAPPER.readTree("""
        {"type": "object",
         "properties": {"path": {"type": "string"}, "head": {"type": ["number", "null"]},
                        "mode": {"anyOf": [{"enum": ["a", "b"]}, {"type": "null"}]}},
         "required": ["path", "head", "mode"], "additionalProperties": false}
        """));
  }

  @Test
  void theNullsStrictModeAddedAreDroppedBeforeTheCall() throws Exception {
    JsonNode original = Json.MAPPER.readTree("""
        {"type": "object", "properties": {"path": {"type": ["string", "null"]}, "head": {"type": "number"},
         "opts": {"type": "object", "properties": {"deep": {"type": "boolean"}}}}, "required": ["path"]}
        """);

    JsonNode sent = InputSchemas.withoutAddedNulls(
        Json.MAPPER.readTree("{\"path\": null, \"head\": null, \"opts\": {\"deep\": null}}"), original);

    assertThat(sent).isEqualTo(Json.MAPPER.readTree("{\"path\": null, \"opts\": {}}"));
  }

  @Test
  void whatStrictModeCannotSayIsSentAsWrittenWithStrictOff() throws Exception {
    InputSchemas.Parameters p = InputSchemas.parameters(schema("""
        {"type": "object", "properties": {"tags": {"type": "object", "additionalProperties": {"type": "string"}},
         "name": {"type": "string", "minLength": 1}}}
        """));

    assertThat(p.strict()).isFalse();
    assertThat(p.schema().at("/properties/name/minLength").asInt()).isEqualTo(1);
    assertThat(p.schema().has("required")).isFalse();
  }

  @Test
  void aToolWithoutPropertiesGetsAnEmptyStrictObject() throws Exception {
    InputSchemas.Parameters p = InputSchemas.parameters(schema("{\"type\": \"object\"}"));

    assertThat(p.strict()).isTrue();
    assertThat(p.schema()).isEqualTo(Json.MAPPER.readTree(
        "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false,\"required\":[]}"));
  }

  @Test
  void malformedSchemasAreRefusedWithThePlaceAtFault() {
    assertThatThrownBy(() -> InputSchemas.parameters(schema("{\"type\": \"object\", \"properties\": []}")))
        .hasMessage("(root).properties is not an object");
    assertThatThrownBy(() -> InputSchemas.parameters(
        schema("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"strnig\"}}}")))
        .hasMessage("(root).properties.a.type \"strnig\" is not a JSON Schema type");
    assertThatThrownBy(() -> InputSchemas.parameters(schema("{\"type\": \"array\"}")))
        .hasMessage("inputSchema's type is \"array\", not \"object\"");
    assertThatThrownBy(() -> InputSchemas.parameters(schema("{\"required\": \"a\"}")))
        .hasMessage("(root).required is not an array");
    assertThatThrownBy(() -> InputSchemas.parameters(null)).hasMessage("inputSchema is missing");
  }

  private static Map<String, Object> schema(String json) throws Exception {
    return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() {
    });
  }
}
