package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of a {@code POST /v1/responses} body or a {@code response.create} frame the emulator acts on. Unknown
 * fields are accepted and ignored, as the service does.
 */
record CreateRequest(
    ObjectNode body,
    String model,
    List<JsonNode> input,
    String previousResponseId,
    boolean store,
    boolean generate,
    boolean stream,
    String streamId,
    JsonNode tools,
    JsonNode textFormat) {
  static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

  CreateRequest {
    input = List.copyOf(input);
  }

  /** Thrown for a request the service would answer with 400. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ApiError error;

    Invalid(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    ApiError error() {
      return error;
    }
  }

  static CreateRequest parse(JsonNode node) throws Invalid {
    if (node == null || !node.isObject()) {
      throw invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    ObjectNode body = (ObjectNode) node;
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) {
      throw invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
    }
    JsonNode in = body.get("input");
    if (in == null || !(in.isArray() || in.isTextual())) {
      throw invalid("Missing required parameter: 'input'.", "input", "missing_required_parameter");
    }
    List<JsonNode> items = new ArrayList<>();
    if (in.isTextual()) {
      ObjectNode m = Json.MAPPER.createObjectNode().put("type", "message").put("role", "user");
      m.putArray("content").addObject().put("type", "input_text").put("text", in.asText());
      items.add(m);
    } else {
      in.forEach(items::add);
    }
    String lane = body.hasNonNull("stream_id") ? body.get("stream_id").asText() : null;
    JsonNode format = body.path("text").get("format");
    return new CreateRequest(body, model.asText(), items, text(body, "previous_response_id"),
        body.path("store").asBoolean(true), body.path("generate").asBoolean(true),
        body.path("stream").asBoolean(false), lane, body.get("tools"), format);
  }

  static Invalid invalid(String message, String param, String code) {
    return new Invalid(new ApiError(400, "invalid_request_error", code, message, param));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
