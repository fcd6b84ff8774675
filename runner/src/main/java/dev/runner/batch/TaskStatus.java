package dev.runner.batch;

import java.util.Locale;
import java.util.Optional;

/** How a task ended, as written in its results line. */
public enum TaskStatus {
  /** The final message was accepted (and matched the schema when one was given). */
  OK,
  /** The final message still failed the output schema after the repair turns. */
  SCHEMA_INVALID,
  /** The model, the API, the transport or the task's own limits failed it. */
  FAILED,
  /** The task's own {@code timeout} ended it. */
  TIMEOUT,
  /** Never ran to an end: {@code --fail-fast}, {@code --deadline} or an interrupted batch. {@code --resume} runs it. */
  CANCELLED;

  /** The spelling in results files and schemas. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A terminal status is final: {@code --resume} skips the task. Only {@link #CANCELLED} is not. */
  public boolean terminal() {
    return this != CANCELLED;
  }

  public static Optional<TaskStatus> fromLabel(String label) {
    for (TaskStatus s : values()) {
      if (s.label().equals(label)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
