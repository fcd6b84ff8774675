package dev.runner.batch;

import dev.runner.ExitCode;
import java.util.Collection;

/**
 * The batch's exit code from its tasks' results: 5 when the batch deadline cancelled tasks, else 1 when any task
 * failed or timed out (or was cancelled by {@code --fail-fast} after one did), else 3 when any answer failed its
 * schema, else 0.
 */
public final class BatchExit {
  private BatchExit() {}

  public static ExitCode of(Collection<TaskResult> results, boolean deadlineHit) {
    if (deadlineHit) {
      return ExitCode.TIMEOUT;
    }
    boolean schema = false;
    for (TaskResult r : results) {
      TaskStatus s = r.status();
      if (s == TaskStatus.FAILED || s == TaskStatus.TIMEOUT || s == TaskStatus.CANCELLED) {
        return ExitCode.TASK_FAILED;
      }
      schema |= s == TaskStatus.SCHEMA_INVALID;
    }
    return schema ? ExitCode.SCHEMA_VIOLATION : ExitCode.SUCCESS;
  }
}
