package dev.runner.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One line of the results file: how one task ended. Described by {@code schemas/batch-result.schema.json}.
 *
 * @param id the task's id
 * @param status how it ended
 * @param exitCode the exit code {@code runner exec} would have given for this task; null when it never ran
 * @param output the final message: parsed JSON when the task had an output schema and the message parsed, else the
 *     text; null when there was none
 * @param errors validation errors (with JSON pointers) or the failure's message; empty when ok
 * @param attempts how many times the task was run (1 today; retries of the transport are not counted here)
 * @param transport {@code websocket} or {@code http} as used at the end; null when it never ran
 * @param timing what the task took
 * @param patch the file name of the task's changes beside the results file, or null when it changed nothing
 */
public record TaskResult(String id, TaskStatus status, Integer exitCode, JsonNode output, List<Problem> errors,
    int attempts, String transport, Timing timing, String patch) {
  public TaskResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    errors = List.copyOf(errors);
    Objects.requireNonNull(timing, "timing");
  }

  /** This result with {@code n} attempts. */
  public TaskResult withAttempts(int n) {
    return new TaskResult(id, status, exitCode, output, errors, n, transport, timing, patch);
  }

  /** Whether {@code --retry-failed} runs the task again: it failed or timed out on its own. */
  public boolean retryable() {
    return status == TaskStatus.FAILED || status == TaskStatus.TIMEOUT;
  }

  /** A task that never ran. */
  public static TaskResult cancelled(String id, String why) {
    return new TaskResult(id, TaskStatus.CANCELLED, null, null, List.of(new Problem(null, why)), 0, null,
        Timing.NONE, null);
  }

  /**
   * A validation error or failure message.
   *
   * @param pointer the JSON pointer into the output for a validation error ({@code ""} is the root), else null
   * @param message what was wrong
   */
  public record Problem(String pointer, String message) {
    public Problem {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return pointer == null ? message : (pointer.isEmpty() ? "(root)" : pointer) + ": " + message;
    }
  }

  /**
   * What one task took.
   *
   * @param wallMs from the task's start (workspace included) to its end
   * @param turns model turns sent
   * @param firstEventMs from the first request to its first stream event, or null when none came
   * @param inputTokens input tokens over all turns
   * @param outputTokens output tokens over all turns
   * @param bytesSent request bytes written
   * @param bytesReceived response bytes read
   * @param connects new connections the task opened (0 when it reused pooled ones or shared a socket)
   */
  public record Timing(double wallMs, int turns, Double firstEventMs, long inputTokens, long outputTokens,
      long bytesSent, long bytesReceived, long connects) {
    public static final Timing NONE = new Timing(0, 0, null, 0, 0, 0, 0, 0);
  }
}
