package dev.runner.schema;

import java.util.List;

/**
 * Writes the user message of a repair turn: what exactly was wrong with the last answer (each schema error with the
 * JSON Pointer of the value it concerns) and the instruction to answer again with only conforming JSON.
 */
final class RepairPrompt {
  /** How many schema errors the prompt lists; beyond that the model gets a count, which keeps the turn small. */
  static final int LIST_LIMIT = 20;

  private RepairPrompt() {}

  static String of(ValidationResult result) {
    if (result.valid()) {
      throw new IllegalArgumentException("a valid answer needs no repair");
    }
    StringBuilder text = new StringBuilder();
    if (result.notJson()) {
      text.append("Your previous answer was rejected because it is not valid JSON: ")
          .append(result.parseError())
          .append(".\n");
    } else {
      List<Violation> violations = result.violations();
      text.append("Your previous answer was rejected because it does not satisfy the required JSON Schema")
          .append(" (locations are JSON Pointers into your answer):\n");
      violations.stream()
          .limit(LIST_LIMIT)
          .forEach(v -> text.append("- ")
              .append(v.location())
              .append(": ")
              .append(v.message())
              .append(" (keyword \"")
              .append(v.keyword())
              .append("\")\n"));
      if (violations.size() > LIST_LIMIT) {
        text.append("- and ").append(violations.size() - LIST_LIMIT).append(" more problems\n");
      }
    }
    text.append("\nAnswer again with only a JSON value that satisfies the schema: no explanation, no Markdown code")
        .append(" fence, nothing before or after the JSON.");
    return text.toString();
  }
}
