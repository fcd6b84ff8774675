package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness itself: it loads the spec, resolves references, and rejects broken documents. */
class SpecHarnessTest {
  private static OpenApiSpec spec;

  @BeforeAll
  static void load() {
    spec = OpenApiSpec.get();
  }

  private static JsonNode json(String text) throws IOException {
    return Captures.JSON.readTree(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CreateResponse", "Response", "ResponseStreamEvent", "ResponsesClientEvent",
      "ResponsesServerEvent", "ResponseWsError", "ErrorResponse"})
  void everyComponentWeUseCompilesWithItsReferences(String name) {
    assertThat(spec.schema(name).getSchemaNode().isObject()).isTrue();
  }

  @Test
  void unknownComponentIsRefusedByName() {
    assertThatThrownBy(() -> spec.schema("NoSuchThing")).hasMessageContaining("'NoSuchThing'");
  }

  @Test
  void ordinaryUserMessageMatchesTwoInputItemBranchesWhichIsWhyOneOfIsReadAsAnyOf() throws IOException {
    // PROTOCOL.md §5: a strict oneOf would reject this message, the most common input item there is.
    JsonNode message = json("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
        + "\"text\":\"hi\"}]}");
    assertThat(spec.errors("EasyInputMessage", message)).isEmpty();
    assertThat(spec.errors("InputMessage", message)).isEmpty();
    assertThat(spec.errors("InputItem", message)).isEmpty();
    assertThat(spec.component("InputItem").has("oneOf")).as("rewritten to anyOf").isFalse();
  }

  @Test
  void brokenRequestsFail() throws IOException {
    assertThat(spec.errors("CreateResponse", json("{\"model\":\"m\",\"input\":42}"))).isNotEmpty();
    assertThat(spec.errors("CreateResponse", json("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\"}]}")))
        .isNotEmpty();
    assertThat(spec.errors("CreateResponse", json("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"nope\"}]}")))
        .isNotEmpty();
    assertThat(spec.errors("ResponsesClientEvent", json("{\"type\":\"response.cancel\",\"model\":\"m\"}")))
        .isNotEmpty();
    assertThat(spec.errors("ResponsesClientEvent", json("{\"model\":\"m\",\"input\":\"x\"}")))
        .as("type is required on a frame").isNotEmpty();
  }

  @Test
  void brokenServerEventsFail() throws IOException {
    assertThat(spec.errors("ResponseStreamEvent", json("{\"type\":\"response.bogus\",\"sequence_number\":1}")))
        .isNotEmpty();
    assertThat(spec.errors("ResponseStreamEvent", json("{\"type\":\"response.output_text.delta\",\"delta\":\"x\"}")))
        .as("delta without item_id, indexes and sequence_number").isNotEmpty();
    assertThat(spec.errors("ResponseWsError", json("{\"type\":\"error\",\"status\":400}"))).isNotEmpty();
    assertThat(spec.errors("ErrorResponse", json("{\"message\":\"flat\"}"))).isNotEmpty();
    assertThat(spec.errors("Response", json("{\"object\":\"response\",\"status\":\"completed\"}"))).isNotEmpty();
  }

  @Test
  void wellFormedSamplesPass() throws IOException {
    assertThat(spec.errors("ResponseStreamEvent", json("{\"type\":\"response.output_text.delta\",\"item_id\":\"m1\","
        + "\"output_index\":0,\"content_index\":0,\"delta\":\"x\",\"sequence_number\":3,\"logprobs\":[]}"))).isEmpty();
    assertThat(spec.errors("ResponseWsError", json("{\"type\":\"error\",\"status\":400,\"error\":{\"type\":"
        + "\"invalid_request_error\",\"code\":\"previous_response_not_found\",\"message\":\"gone\",\"param\":null}}")))
        .isEmpty();
    assertThat(spec.errors("ErrorResponse", json("{\"error\":{\"message\":\"m\",\"type\":\"server_error\","
        + "\"param\":null,\"code\":null}}"))).isEmpty();
  }

  @Test
  void specAloneAcceptsAnEmptyRequestSoServiceRulesCheckModelAndInput() throws IOException {
    JsonNode empty = json("{}");
    assertThat(spec.errors("CreateResponse", empty)).isEmpty();
    assertThat(ServiceRules.createResponse(empty)).containsExactly("/model: a non-empty string is required",
        "/input: a string or an item list is required");
    assertThat(ServiceRules.createResponse(json("{\"model\":\"m\",\"input\":\"x\"}"))).isEmpty();
  }

  @Test
  void functionToolWithoutStrictAndParametersKeysFailsTheSpec() throws IOException {
    JsonNode body = json("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}]}");
    List<String> errors = spec.errors("CreateResponse", body);
    assertThat(String.join("\n", errors)).contains("strict").contains("parameters");
    assertThat(ServiceRules.functionTools(body)).hasSize(2);
  }
}
