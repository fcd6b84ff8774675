package dev.runner.batch;

import dev.runner.metrics.Meter;
import dev.runner.metrics.Registries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The batch's aggregate as meters ({@link Meter}{@code .BATCH_*}) in a registry of its own, for the metrics package's
 * writers: Prometheus text comes from the registry, so a change of how the runner exports meters covers the batch too.
 * Percentiles are gauges tagged {@code quantile} (0.5, 0.95, and 1 for the max), in seconds.
 */
final class BatchMeters {
  private BatchMeters() {}

  static MeterRegistry registry(BatchMetrics m) {
    MeterRegistry r = Registries.forRun(true); // only for Prometheus text
    count(r, Meter.BATCH_TASKS, "ok", m.ok());
    count(r, Meter.BATCH_TASKS, "schema_invalid", m.schemaInvalid());
    count(r, Meter.BATCH_TASKS, "failed", m.failed());
    count(r, Meter.BATCH_TASKS, "timeout", m.timeout());
    count(r, Meter.BATCH_TASKS, "cancelled", m.cancelled());
    count(r, Meter.BATCH_TASKS, "skipped", m.skipped());
    gauge(r, Meter.BATCH_ELAPSED, null, m.elapsedS());
    quantiles(r, Meter.BATCH_TASK_WALL, m.wallMs());
    quantiles(r, Meter.BATCH_TASK_FIRST_EVENT, m.firstEventMs());
    quantiles(r, Meter.BATCH_TURN, m.turnMs());
    quantiles(r, Meter.BATCH_TURN_FIRST_EVENT, m.turnFirstEventMs());
    count(r, Meter.BATCH_TURNS, null, m.turns());
    count(r, Meter.BATCH_TOKENS, "input", m.inputTokens());
    count(r, Meter.BATCH_TOKENS, "output", m.outputTokens());
    count(r, Meter.BATCH_BYTES, "sent", m.bytesSent());
    count(r, Meter.BATCH_BYTES, "received", m.bytesReceived());
    count(r, Meter.BATCH_CONNECTIONS, "websocket", m.websocketHandshakes());
    count(r, Meter.BATCH_CONNECTIONS, "http", m.connections() - m.websocketHandshakes());
    count(r, Meter.BATCH_RETRIES, null, m.retries());
    count(r, Meter.BATCH_FALLBACKS, null, m.fallbacks());
    count(r, Meter.BATCH_COMMAND_HOSTS, null, m.commandHosts());
    return r;
  }

  private static void count(MeterRegistry r, Meter meter, String tag, double value) {
    Counter.Builder b = Counter.builder(meter.meterName()).description(meter.description());
    if (tag != null) {
      b.tag(meter.extraTag(), tag);
    }
    b.register(r).increment(value);
  }

  private static void quantiles(MeterRegistry r, Meter meter, BatchMetrics.Percentiles ms) {
    gauge(r, meter, "0.5", ms.p50() / 1000);
    gauge(r, meter, "0.95", ms.p95() / 1000);
    gauge(r, meter, "1", ms.max() / 1000);
  }

  private static void gauge(MeterRegistry r, Meter meter, String tag, double value) {
    Gauge.Builder<?> b = Gauge.builder(meter.meterName(), () -> value).description(meter.description());
    if (tag != null) {
      b.tag(meter.extraTag(), tag);
    }
    b.register(r);
  }
}
