package dev.runner.loop;

import java.util.Optional;

/**
 * Judges the model's final message (e.g. against {@code --output-schema}). Returns empty when it is acceptable,
 * otherwise the failure: a repair prompt for the model and the problems for the user.
 */
@FunctionalInterface
public interface AnswerCheck {
  /** A rejected answer. */
  record Rejection(String repairPrompt, String problems) {}

  Optional<Rejection> check(String finalMessage);

  static AnswerCheck acceptAll() {
    return text -> Optional.empty();
  }
}
