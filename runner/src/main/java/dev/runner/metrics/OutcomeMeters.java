package dev.runner.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;

/**
 * How a run ended, as gauges a dashboard or an alert can use: success, exit code, whether the answer satisfied its
 * schema, and for a batch the tasks by status. Recorded once, when the outcome is known.
 */
public final class OutcomeMeters {
  private OutcomeMeters() {}

  /**
   * @param schemaValid whether the answer satisfied the output schema; null when there was none (no gauge then)
   */
  public static void exec(MeterRegistry registry, Tags tags, int exitCode, Boolean schemaValid) {
    gauge(registry, Meter.RUN_SUCCESS, tags, exitCode == 0 ? 1 : 0);
    gauge(registry, Meter.RUN_EXIT_CODE, tags, exitCode);
    if (schemaValid != null) {
      gauge(registry, Meter.RUN_SCHEMA_VALID, tags, schemaValid ? 1 : 0);
    }
  }

  /** {@code tasksByStatus}: every status label with its count, zeros included (a series that vanishes alerts no one). */
  public static void batch(MeterRegistry registry, Tags tags, int exitCode, Map<String, Integer> tasksByStatus) {
    gauge(registry, Meter.RUN_SUCCESS, tags, exitCode == 0 ? 1 : 0);
    gauge(registry, Meter.RUN_EXIT_CODE, tags, exitCode);
    tasksByStatus.forEach((status, n) -> gauge(registry, Meter.BATCH_TASKS, tags.and("status", status), n));
  }

  private static void gauge(MeterRegistry registry, Meter m, Tags tags, double value) {
    Gauge.builder(m.meterName(), () -> value).description(m.description()).tags(tags).register(registry);
  }
}
