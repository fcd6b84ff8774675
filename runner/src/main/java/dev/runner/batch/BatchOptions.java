package dev.runner.batch;

import dev.runner.metrics.MetricsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a batch runs.
 *
 * @param concurrency most tasks running at once
 * @param workspace the workspace mode for every task, or null for each task's default ({@link
 *     WorkspaceMode#defaultFor})
 * @param failFast stop launching after the first task that is not ok
 * @param deadline the whole batch's time, or null for none
 * @param results the results file
 * @param resume continue {@code results}: skip ids with a terminal line
 * @param junit where to write JUnit XML, or null
 * @param shard which part of the task list this process runs
 * @param quiet no progress and no summary
 * @param env variables for the tasks' commands (credentials are removed before a command sees them)
 * @param retryFailed how many more times a task that failed or timed out is run; with {@code resume}, tasks the
 *     results file lists as failed or timed out run again too
 * @param outageThreshold stop launching once this many tasks in a row failed the same way (0: never)
 * @param metrics where to write the aggregate figures, or null
 * @param metricsFormat how to write them
 * @param live progress as one line redrawn in place (stderr is a terminal), not as log lines
 * @param strictConfig {@code --strict-config}: a task whose MCP server does not start fails (exit 2)
 */
public record BatchOptions(int concurrency, WorkspaceMode workspace, boolean failFast, Duration deadline, Path results,
    boolean resume, Path junit, Shard shard, boolean quiet, Map<String, String> env, int retryFailed,
    int outageThreshold, Path metrics, MetricsFiles.Format metricsFormat, boolean live, boolean strictConfig) {
  /**
   * Default {@code --concurrency}: 16, the lanes one WebSocket carries, so a provider with lanes needs one socket. On a
   * 2-core machine, tool-calling tasks against the emulator's realistic latency gained throughput up to 16 at once and
   * nothing beyond (the CPU of the tools, workspaces and turns is then the bound); memory stayed flat. A remote model's
   * turns take seconds, so more may pay off there, up to the provider's rate limits: raise it with {@code
   * --concurrency}.
   */
  public static final int DEFAULT_CONCURRENCY = 16;

  public BatchOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    env = Map.copyOf(env);
    if (retryFailed < 0 || outageThreshold < 0) {
      throw new IllegalArgumentException("retryFailed and outageThreshold must not be negative");
    }
  }

  /**
   * Default {@code --outage-threshold}: ten failures in a row with one message is no longer bad luck; at the default
   * concurrency it stops within about two rounds of tasks.
   */
  public static final int DEFAULT_OUTAGE_THRESHOLD = 10;
}
