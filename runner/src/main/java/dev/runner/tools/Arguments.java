package dev.runner.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;

/**
 * Reads a call's JSON arguments with messages written for the model: every failure is an {@link
 * ArgumentException} whose text says which field was wrong and how.
 */
final class Arguments {
  private final String tool;
  private final ObjectNode node;

  private Arguments(String tool, ObjectNode node) {
    this.tool = tool;
    this.node = node;
  }

  /** Parses {@code call.arguments()} as a JSON object. */
  static Arguments parse(ToolCall call) {
    JsonNode parsed;
    try {
      // the shared mapper, already set up by decoding the events; a mapper of its own sets itself up on the first call
      parsed = Json.MAPPER.readTree(call.arguments());
    } catch (JsonProcessingException e) {
      throw new ArgumentException(
          "failed to parse function arguments for "
              + call.name()
              + ": "
              + e.getOriginalMessage()
              + " (send a JSON object)");
    }
    if (parsed == null || !parsed.isObject()) {
      throw new ArgumentException(
          "failed to parse function arguments for " + call.name() + ": expected a JSON object");
    }
    return new Arguments(call.name(), (ObjectNode) parsed);
  }

  /** The field as a node, or {@code null} when absent or JSON null. */
  JsonNode optional(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  JsonNode required(String field) {
    JsonNode value = optional(field);
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  String requiredString(String field) {
    JsonNode value = required(field);
    if (!value.isTextual()) {
      throw wrongType(field, "a string");
    }
    return value.asText();
  }

  String optionalString(String field) {
    JsonNode value = optional(field);
    if (value != null && !value.isTextual()) {
      throw wrongType(field, "a string or null");
    }
    return value == null ? null : value.asText();
  }

  Long optionalLong(String field) {
    JsonNode value = optional(field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrongType(field, "an integer or null");
    }
    return value.asLong();
  }

  ArgumentException missing(String field) {
    return new ArgumentException(tool + ": missing required field '" + field + "'");
  }

  ArgumentException wrongType(String field, String expected) {
    return new ArgumentException(tool + ": field '" + field + "' must be " + expected);
  }

  /** Thrown for arguments the tool cannot use; its message goes back to the model verbatim. */
  static final class ArgumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ArgumentException(String message) {
      super(message, null, false, false);
    }
  }
}
