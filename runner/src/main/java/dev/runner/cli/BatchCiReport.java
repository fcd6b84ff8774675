package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.github.BatchOutcome;
import dev.runner.github.GitHubActions;
import dev.runner.metrics.MetricsPush;
import dev.runner.metrics.OutcomeMeters;
import dev.runner.metrics.Registries;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a finished {@code runner batch} tells CI: GitHub outputs, summary and annotations, and the outcome metrics
 * pushed to a Pushgateway. Both read the results file, the batch's contract, so the batch code needs no hook of its
 * own. Neither changes the exit code.
 *
 * @param pushUrl the Pushgateway, or null
 * @param shard the {@code --shard} label ({@code I/N}), or null; a grouping label, so shards do not overwrite each other
 */
record BatchCiReport(GitHubActions github, String pushUrl, Map<String, String> env, String shard,
    PrintWriter err) {
  /** Every status label, so a status with no task is pushed as 0 rather than missing. */
  private static final String[] STATUSES = {"ok", "schema_invalid", "failed", "timeout", "cancelled"};

  /** Fails before any work when the push URL is not one. */
  static String checkedUrl(String url) {
    if (url != null) {
      try {
        MetricsPush.parse(url);
      } catch (IllegalArgumentException e) {
        throw RunnerException.usage("--metrics-push: " + e.getMessage(),
            "give the Pushgateway's base URL, e.g. http://pushgateway:9091");
      }
    }
    return url;
  }

  void finish(int exitCode, Path results, Path junit, Path metrics) {
    if (!github.active() && pushUrl == null) {
      return;
    }
    BatchOutcome outcome;
    try {
      outcome = BatchOutcome.read(exitCode, results, junit, metrics);
    } catch (IOException e) {
      err.println("runner: warning: could not read " + results + " for the CI report: " + e.getMessage());
      return;
    }
    github.batchFinished(outcome);
    if (pushUrl != null) {
      PrometheusMeterRegistry registry = (PrometheusMeterRegistry) Registries.forRun(true);
      Map<String, Integer> counts = new TreeMap<>();
      for (String s : STATUSES) {
        counts.put(s, outcome.count(s));
      }
      OutcomeMeters.batch(registry, Tags.empty(), exitCode, counts);
      Map<String, String> grouping = MetricsPush.groupingFrom(env);
      if (shard != null) {
        grouping.put("shard", shard.replace('/', '_'));
      }
      try {
        MetricsPush.push(pushUrl, registry, "runner_batch", grouping);
      } catch (IOException | RuntimeException e) {
        err.println("runner: warning: could not push metrics to " + pushUrl + ": " + e.getMessage()
            + "; the exit code is unchanged");
      }
    }
  }
}
