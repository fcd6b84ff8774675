package dev.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of checking a final answer against the output schema. Exactly one of two shapes: the answer is not JSON
 * ({@code value == null}, {@code parseError} says why and where), or it is JSON and {@code violations} lists every
 * schema error (empty when the answer is valid).
 *
 * @param answer the final message as the model sent it
 * @param value the parsed answer, or {@code null} when it is not JSON
 * @param parseError why the answer is not JSON (with line and column), or {@code null}
 * @param violations schema errors against the user's original schema, in validator order
 */
public record ValidationResult(String answer, JsonNode value, String parseError, List<Violation> violations) {
  /** How many violations {@link #summary()} spells out before it counts the rest. */
  static final int SUMMARY_LIMIT = 5;

  public ValidationResult {
    Objects.requireNonNull(answer, "answer");
    violations = List.copyOf(violations);
    if ((value == null) == (parseError == null)) {
      throw new IllegalArgumentException("exactly one of value and parseError must be set");
    }
    if (value == null && !violations.isEmpty()) {
      throw new IllegalArgumentException("an answer that is not JSON has no schema violations");
    }
  }

  static ValidationResult notJson(String answer, String parseError) {
    return new ValidationResult(answer, null, parseError, List.of());
  }

  static ValidationResult checked(String answer, JsonNode value, List<Violation> violations) {
    return new ValidationResult(answer, value, null, violations);
  }

  /** True when the answer is JSON and satisfies the schema. */
  public boolean valid() {
    return value != null && violations.isEmpty();
  }

  /** True when the answer could not be parsed as JSON at all. */
  public boolean notJson() {
    return value == null;
  }

  /** One line for an error message: why the answer was rejected, or {@code "valid"}. */
  public String summary() {
    if (notJson()) {
      return "the final answer is not valid JSON: " + parseError;
    }
    if (violations.isEmpty()) {
      return "valid";
    }
    String shown = violations.stream()
        .limit(SUMMARY_LIMIT)
        .map(Violation::toString)
        .collect(Collectors.joining("; "));
    int rest = violations.size() - SUMMARY_LIMIT;
    return "the final answer violates the output schema: " + shown + (rest > 0 ? "; and " + rest + " more" : "");
  }
}
