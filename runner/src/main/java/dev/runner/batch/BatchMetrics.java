package dev.runner.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.files.AtomicFiles;
import dev.runner.metrics.MetricsFiles;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;

/**
 * The batch's aggregate figures ({@code schemas/batch-metrics.schema.json}): what the end-of-run summary shows, for
 * machines. Computed from the results of the tasks this run ran (not those {@code --resume} skipped).
 */
record BatchMetrics(int tasks, int ok, int schemaInvalid, int failed, int timeout, int cancelled, int skipped,
    double elapsedS, Percentiles wallMs, Percentiles firstEventMs, Percentiles turnMs, Percentiles turnFirstEventMs,
    long turns, long inputTokens, long outputTokens, long bytesSent, long bytesReceived, long connections,
    long websocketHandshakes, int pools, long retries, long fallbacks, long commandHosts) {

  /** Nearest-rank percentiles of some values; zeros when there are none. */
  record Percentiles(double p50, double p95, double max) {
    static Percentiles of(double[] values) {
      double[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      return sorted.length == 0
          ? new Percentiles(0, 0, 0)
          : new Percentiles(rank(sorted, 50), rank(sorted, 95), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, int p) {
      int r = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
    }
  }

  static BatchMetrics of(Collection<TaskResult> ran, int skipped, double elapsedS, SharedTransports transports,
      long commandHosts) {
    int[] counts = new int[TaskStatus.values().length];
    ran.forEach(r -> counts[r.status().ordinal()]++);
    return new BatchMetrics(ran.size(), counts[TaskStatus.OK.ordinal()], counts[TaskStatus.SCHEMA_INVALID.ordinal()],
        counts[TaskStatus.FAILED.ordinal()], counts[TaskStatus.TIMEOUT.ordinal()],
        counts[TaskStatus.CANCELLED.ordinal()], skipped, elapsedS,
        Percentiles.of(ran.stream().filter(r -> r.attempts() > 0).mapToDouble(r -> r.timing().wallMs()).toArray()),
        Percentiles.of(ran.stream().map(r -> r.timing().firstEventMs()).filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue).toArray()),
        Percentiles.of(transports.turnMs()), Percentiles.of(transports.turnFirstEventMs()),
        ran.stream().mapToLong(r -> r.timing().turns()).sum(),
        ran.stream().mapToLong(r -> r.timing().inputTokens()).sum(),
        ran.stream().mapToLong(r -> r.timing().outputTokens()).sum(),
        ran.stream().mapToLong(r -> r.timing().bytesSent()).sum(),
        ran.stream().mapToLong(r -> r.timing().bytesReceived()).sum(), transports.connections(),
        transports.websocketHandshakes(), transports.pools(), transports.retries(), transports.fallbacks(),
        commandHosts);
  }

  double turnsPerSecond() {
    return elapsedS > 0 ? turns / elapsedS : 0;
  }

  /** Writes these figures to {@code file}, atomically, as JSON or as Prometheus text. */
  void write(Path file, MetricsFiles.Format format) throws IOException {
    String text = format == MetricsFiles.Format.PROMETHEUS
        ? MetricsFiles.prometheus(BatchMeters.registry(this))
        : json();
    AtomicFiles.write(file, text);
  }

  String json() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode t = o.putObject("tasks");
    t.put("ran", tasks).put("ok", ok).put("schema_invalid", schemaInvalid).put("failed", failed)
        .put("timeout", timeout).put("cancelled", cancelled).put("skipped", skipped);
    o.put("elapsed_s", round(elapsedS));
    percentiles(o.putObject("task_wall_ms"), wallMs);
    percentiles(o.putObject("first_event_ms"), firstEventMs);
    percentiles(o.putObject("turn_ms"), turnMs);
    percentiles(o.putObject("turn_first_event_ms"), turnFirstEventMs);
    o.put("turns", turns).put("turns_per_s", round(turnsPerSecond()));
    o.putObject("tokens").put("input", inputTokens).put("output", outputTokens);
    o.putObject("bytes").put("sent", bytesSent).put("received", bytesReceived);
    o.putObject("transport").put("connections", connections).put("websocket_handshakes", websocketHandshakes)
        .put("http_connections", connections - websocketHandshakes).put("pools", pools).put("retries", retries)
        .put("fallbacks", fallbacks);
    o.put("command_hosts", commandHosts);
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("batch metrics could not be written as JSON", e);
    }
  }

  private static void percentiles(ObjectNode into, Percentiles p) {
    into.put("p50", round(p.p50())).put("p95", round(p.p95())).put("max", round(p.max()));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
