package dev.runner.batch;

/**
 * Notices a provider outage: {@code threshold} tasks in a row that failed with the same message (numbers aside, so
 * "HTTP 503 after 4 retries" and "HTTP 503 after 5 retries" count as one) and no success between them. Then the batch
 * stops launching tasks instead of burning through the list; {@code --resume} runs the rest once the provider is back.
 */
final class OutageDetector {
  private final int threshold;
  private String lastFailure;
  private int inARow;

  /** @param threshold failures in a row that mean an outage; 0 never does */
  OutageDetector(int threshold) {
    this.threshold = threshold;
  }

  /** Records how a task ended; returns why the batch should stop, or null. */
  synchronized String observe(TaskResult r) {
    if (threshold == 0 || r.status() == TaskStatus.CANCELLED) {
      return null;
    }
    if (r.status() != TaskStatus.FAILED || r.errors().isEmpty()) {
      lastFailure = null;
      inARow = 0;
      return null;
    }
    String message = r.errors().get(0).message();
    String key = message.replaceAll("\\d+", "#");
    if (key.equals(lastFailure)) {
      inARow++;
    } else {
      lastFailure = key;
      inARow = 1;
    }
    return inARow >= threshold
        ? "the last " + inARow + " tasks all failed the same way (" + message + "): the provider looks down; rerun"
            + " with --resume once it is back"
        : null;
  }
}
