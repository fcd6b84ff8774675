package dev.runner.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses the model's final message as one JSON value, strictly: no trailing text, no duplicate keys, and no Markdown
 * code fence. A fenced answer is reported as not JSON, with a message that names the fence, rather than unwrapped:
 * the output goes to scripts that expect bare JSON, and a repair turn that says "drop the fence" fixes it at the source.
 */
final class AnswerParser {
  private AnswerParser() {}

  /** Either the parsed value or why the answer is not JSON. */
  sealed interface Parsed permits Json, NotJson {}

  record Json(JsonNode value) implements Parsed {}

  record NotJson(String reason) implements Parsed {}

  static Parsed parse(String answer) {
    String trimmed = answer.strip();
    if (trimmed.isEmpty()) {
      return new NotJson("the answer is empty");
    }
    if (trimmed.startsWith("```")) {
      return new NotJson("the JSON is wrapped in a Markdown code fence (```); the answer must be the bare JSON value,"
          + " with no fence and no text around it");
    }
    try {
      JsonNode value = SchemaFile.STRICT_JSON.readTree(answer);
      return value == null || value.isMissingNode() ? new NotJson("the answer is empty") : new Json(value);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      return new NotJson(where + e.getOriginalMessage());
    }
  }
}
