package dev.runner.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.RunnerException;
import dev.runner.files.AtomicFiles;
import dev.runner.protocol.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the {@code --metrics} file: JSON following schemas/metrics.schema.json, or Prometheus text exposition format
 * (for a Pushgateway or a node-exporter textfile collector). Files are written atomically.
 */
public final class MetricsFiles {
  private MetricsFiles() {}

  /** The formats of {@code --metrics-format}. */
  public enum Format {
    JSON,
    PROMETHEUS
  }

  public static void write(Path file, Format format, RunReport report, MeterRegistry registry) {
    String text = format == Format.JSON ? json(report) : prometheus(registry);
    try {
      AtomicFiles.write(file.toAbsolutePath(), text);
    } catch (IOException e) {
      throw RunnerException.usage("could not write --metrics " + file + ": " + e.getMessage(),
          "check that the folder exists and is writable");
    }
  }

  /** A time in ms, or JSON null for what did not happen (the recorder's negative values). */
  private static void putMs(ObjectNode node, String field, double ms) {
    if (ms < 0) {
      node.putNull(field);
    } else {
      node.put(field, round(ms));
    }
  }

  public static String json(RunReport r) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("schema", "https://runner.dev/schemas/metrics.schema.json");
    root.put("provider", r.provider()).put("model", r.model());
    root.put("success", r.success());
    ObjectNode session = root.putObject("session");
    session.put("wall_ms", round(r.wallMs()));
    putMs(session, "startup_to_first_request_ms", r.startupToFirstRequestMs());
    session.put("startup_from", r.startupFrom());
    session.put("server_ms", round(r.serverMs()));
    session.put("tool_ms", round(r.toolMs()));
    RunReport.Counters c = r.counters();
    session.put("turns", r.turns().size());
    session.put("compactions", c.compactions());
    ObjectNode transport = root.putObject("transport");
    transport.put("kind", r.transport()).put("handshakes", c.handshakes()).put("connect_ms", round(c.connectMs()))
        .put("reconnects", c.reconnects()).put("fallbacks", c.fallbacks()).put("retries", c.retries())
        .put("rotations", c.rotations()).put("full_requests", c.fullRequests())
        .put("incremental_requests", c.incrementalRequests()).put("bytes_sent", c.bytesSent())
        .put("bytes_received", c.bytesReceived()).put("frames_sent", c.framesSent())
        .put("frames_received", c.framesReceived());
    root.putObject("tools").put("calls", c.toolCalls()).put("errors", c.toolErrors());
    root.putObject("tokens").put("input", r.tokens().inputTokens()).put("cached", r.tokens().cachedTokens())
        .put("output", r.tokens().outputTokens()).put("reasoning", r.tokens().reasoningTokens())
        .put("total", r.tokens().totalTokens());
    ArrayNode turns = root.putArray("turns");
    for (TurnTiming t : r.turns()) {
      ObjectNode n = turns.addObject();
      n.put("turn", t.turn()).put("mode", t.mode());
      putMs(n, "latency_ms", t.latencyMs());
      putMs(n, "first_event_ms", t.firstEventMs());
      putMs(n, "first_delta_ms", t.firstDeltaMs());
      putMs(n, "client_ms", t.clientMs());
      n.put("bytes_sent", t.bytesSent());
      ArrayNode tools = n.putArray("tools");
      for (TurnTiming.ToolTiming tool : t.tools()) {
        tools.addObject().put("tool", tool.tool()).put("ms", round(tool.ms())).put("success", tool.success());
      }
    }
    try {
      // the shared mapper, already warm: JsonNode.toPrettyString sets up a mapper of its own at a run's end
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException("metrics did not serialize", e);
    }
  }

  /**
   * Prometheus text format 0.0.4 from Micrometer's Prometheus registry: counters as {@code _total}, timers as
   * {@code _seconds} summaries with {@code _max}, outcome gauges as they are.
   *
   * @throws IllegalArgumentException when the run did not record into a Prometheus registry
   *     ({@link Registries#forRun})
   */
  public static String prometheus(MeterRegistry registry) {
    if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
      throw new IllegalArgumentException("Prometheus text needs a run recorded into Registries.forRun(true)");
    }
    return prometheus.scrape();
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
