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
    JsonNode textFormat,
    long compactThreshold) {
  /** The threshold the emulator assumes for {@code compact_threshold: null}, as the model's own default would be. */
  static final long DEFAULT_COMPACT_THRESHOLD = 200_000;
  /** The spec's {@code ContextManagementParam.compact_threshold} minimum. */
  static final long MIN_COMPACT_THRESHOLD = 1000;
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
    List<JsonNode> items = inputItems(in);
    String lane = body.hasNonNull("stream_id") ? body.get("stream_id").asText() : null;
    JsonNode format = body.path("text").get("format");
    return new CreateRequest(body, model.asText(), items, text(body, "previous_response_id"),
        body.path("store").asBoolean(true), body.path("generate").asBoolean(true),
        body.path("stream").asBoolean(false), lane, body.get("tools"), format, compactThreshold(body));
  }

  /** {@code context_management:[{type:"compaction", compact_threshold:N}]} → N; 0 when absent. */
  private static long compactThreshold(ObjectNode body) throws Invalid {
    JsonNode cm = body.get("context_management");
    if (cm == null || cm.isNull()) {
      return 0;
    }
    if (!cm.isArray() || cm.isEmpty()) {
      throw invalid("Invalid 'context_management': expected a non-empty array.", "context_management",
          "invalid_type");
    }
    long threshold = 0;
    for (int k = 0; k < cm.size(); k++) {
      JsonNode entry = cm.get(k);
      String param = "context_management[" + k + "]";
      if (!"compaction".equals(entry.path("type").asText())) {
        throw invalid("Invalid '" + param + ".type': only 'compaction' is supported.", param + ".type",
            "invalid_value");
      }
      JsonNode t = entry.get("compact_threshold");
      if (t == null || t.isNull()) {
        threshold = DEFAULT_COMPACT_THRESHOLD;
      } else if (!t.canConvertToLong() || !t.isIntegralNumber()) {
        throw invalid("Invalid '" + param + ".compact_threshold': expected an integer.", param
            + ".compact_threshold", "invalid_type");
      } else if (t.asLong() < MIN_COMPACT_THRESHOLD) {
        throw invalid("Invalid '" + param + ".compact_threshold': integer below minimum value. Expected a value >= "
            + MIN_COMPACT_THRESHOLD + ", but got " + t.asLong() + " instead.", param + ".compact_threshold",
            "integer_below_min_value");
      } else {
        threshold = t.asLong();
      }
    }
    return threshold;
  }

  /**
   * {@code input} as items: a string is one user message. Compaction items must carry content this emulator made.
   */
  static List<JsonNode> inputItems(JsonNode in) throws Invalid {
    List<JsonNode> items = new ArrayList<>();
    if (in.isTextual()) {
      ObjectNode m = Json.MAPPER.createObjectNode().put("type", "message").put("role", "user");
      m.putArray("content").addObject().put("type", "input_text").put("text", in.asText());
      items.add(m);
    } else {
      in.forEach(items::add);
    }
    for (int k = 0; k < items.size(); k++) {
      if (CompactionSummary.isCompaction(items.get(k))) {
        try {
          CompactionSummary.decode(items.get(k).path("encrypted_content").asText(null));
        } catch (IllegalArgumentException e) {
          throw invalid("The compaction item at input[" + k + "] is invalid: " + e.getMessage() + ".", "input[" + k
              + "].encrypted_content", "invalid_encrypted_content");
        }
      }
    }
    return items;
  }

  static Invalid invalid(String message, String param, String code) {
    return new Invalid(new ApiError(400, "invalid_request_error", code, message, param));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
