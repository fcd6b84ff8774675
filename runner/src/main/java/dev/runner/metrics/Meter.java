package dev.runner.metrics;

/**
 * Every meter the runner records, in one place. A run's meters carry the tags {@code provider} and {@code transport};
 * a batch's ({@code runner.batch.*}, across providers) do not. The tag listed here is the extra one. The outcome gauges
 * ({@code runner.run.*}, {@code runner.batch.tasks}) are recorded once at the end ({@link OutcomeMeters}). Names use
 * Micrometer's dot notation; the Prometheus writer turns dots into
 * underscores and adds the unit suffix.
 */
public enum Meter {
  SESSION_DURATION("runner.session.duration", "Wall time of the whole run", null),
  STARTUP_TO_FIRST_REQUEST("runner.startup.first.request", "Process start to the first request byte sent", null),
  TURN_DURATION("runner.turn.duration", "Request sent to response completed, per model turn", null),
  TURN_FIRST_EVENT("runner.turn.first.event", "Request sent to the first server event", null),
  TURN_FIRST_DELTA("runner.turn.first.delta", "Request sent to the first output delta", null),
  TOOL_DURATION("runner.tool.duration", "Tool call wall time", "tool"),
  CONNECT("runner.transport.connect", "TCP (+TLS, +WebSocket upgrade) connect time", null),
  HANDSHAKES("runner.transport.handshakes", "New connections (TCP for HTTP, upgrades for WebSocket)", null),
  RECONNECTS("runner.transport.reconnects", "WebSocket reconnects after a close or connection limit", "reason"),
  FALLBACKS("runner.transport.fallbacks", "WebSocket sessions switched to HTTP", "reason"),
  RETRIES("runner.transport.retries", "Requests or streams retried", "reason"),
  ROTATIONS("runner.transport.rotations", "Connections replaced before their age limit", null),
  REQUESTS("runner.requests", "Model requests sent", "mode"),
  BYTES_SENT("runner.transport.bytes.sent", "Request bytes written to the wire", null),
  BYTES_RECEIVED("runner.transport.bytes.received", "Response bytes read from the wire", null),
  FRAMES_SENT("runner.transport.frames.sent", "WebSocket frames (or HTTP requests) sent", null),
  FRAMES_RECEIVED("runner.transport.frames.received", "WebSocket frames (or SSE events) received", null),
  TOKENS("runner.tokens", "Tokens reported by the service", "kind"),
  TOOL_ERRORS("runner.tool.errors", "Tool calls rejected: unknown tool or malformed arguments", null),
  COMPACTIONS("runner.compactions", "Conversation compactions (server-side items or /responses/compact)", "where"),
  RUN_SUCCESS("runner.run.success", "1 when the run (or every batch task) succeeded, else 0", null),
  RUN_EXIT_CODE("runner.run.exit.code", "The process's exit code", null),
  RUN_SCHEMA_VALID("runner.run.schema.valid", "1 when the final message satisfied --output-schema, else 0", null),
  BATCH_TASKS("runner.batch.tasks", "Tasks a batch ran, by how they ended (skipped: finished before --resume)",
      "status"),
  BATCH_ELAPSED("runner.batch.elapsed.seconds", "Wall time of the batch", null),
  BATCH_TASK_WALL("runner.batch.task.wall.seconds", "Task wall time (quantile 1 is the max)", "quantile"),
  BATCH_TASK_FIRST_EVENT("runner.batch.task.first.event.seconds", "A task's first request to its first event",
      "quantile"),
  BATCH_TURN("runner.batch.turn.seconds", "Request sent to response completed, per turn of any task", "quantile"),
  BATCH_TURN_FIRST_EVENT("runner.batch.turn.first.event.seconds", "Request sent to the first event, per turn",
      "quantile"),
  BATCH_TURNS("runner.batch.turns", "Model turns of all tasks", null),
  BATCH_TOKENS("runner.batch.tokens", "Tokens of all tasks", "kind"),
  BATCH_BYTES("runner.batch.bytes", "Bytes of all tasks on the wire", "direction"),
  BATCH_CONNECTIONS("runner.batch.connections", "Connections the shared pools opened", "kind"),
  BATCH_RETRIES("runner.batch.retries", "Requests or streams the transports retried", null),
  BATCH_FALLBACKS("runner.batch.fallbacks", "WebSocket sessions switched to HTTP", null),
  BATCH_COMMAND_HOSTS("runner.batch.command.hosts", "Command hosts started (one per task that ran a command)", null);

  private final String meterName;
  private final String description;
  private final String extraTag;

  Meter(String meterName, String description, String extraTag) {
    this.meterName = meterName;
    this.description = description;
    this.extraTag = extraTag;
  }

  public String meterName() {
    return meterName;
  }

  public String description() {
    return description;
  }

  /** The tag besides provider and transport, or null. */
  public String extraTag() {
    return extraTag;
  }
}
