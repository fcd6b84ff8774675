package dev.runner.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Results lines to and from JSON ({@code schemas/batch-result.schema.json}); one line, no newline inside. */
public final class ResultJson {
  private ResultJson() {}

  /** The line for {@code r}, without its newline. */
  public static String line(TaskResult r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", r.id());
    o.put("status", r.status().label());
    if (r.exitCode() == null) {
      o.putNull("exit_code");
    } else {
      o.put("exit_code", r.exitCode());
    }
    o.set("output", r.output());
    ArrayNode errors = o.putArray("errors");
    for (TaskResult.Problem p : r.errors()) {
      ObjectNode e = errors.addObject();
      if (p.pointer() != null) {
        e.put("pointer", p.pointer());
      }
      e.put("message", p.message());
    }
    o.put("attempts", r.attempts());
    o.put("transport", r.transport());
    TaskResult.Timing t = r.timing();
    ObjectNode timing = o.putObject("timing");
    timing.put("wall_ms", Math.round(t.wallMs() * 10) / 10.0);
    timing.put("turns", t.turns());
    if (t.firstEventMs() == null) {
      timing.putNull("first_event_ms");
    } else {
      timing.put("first_event_ms", Math.round(t.firstEventMs() * 10) / 10.0);
    }
    ObjectNode tokens = timing.putObject("tokens");
    tokens.put("input", t.inputTokens());
    tokens.put("output", t.outputTokens());
    ObjectNode bytes = timing.putObject("bytes");
    bytes.put("sent", t.bytesSent());
    bytes.put("received", t.bytesReceived());
    timing.put("connects", t.connects());
    o.put("patch", r.patch());
    try {
      return Json.MAPPER.writeValueAsString(o); // Jackson escapes control characters: the line has no raw newline
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a results line could not be written as JSON", e);
    }
  }

  /** The result on {@code line}, or empty when it is not a results line (torn, or written by something else). */
  public static Optional<TaskResult> parse(String line) {
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (o == null || !o.isObject() || !o.path("id").isTextual()) {
      return Optional.empty();
    }
    Optional<TaskStatus> status = TaskStatus.fromLabel(o.path("status").asText(""));
    if (status.isEmpty()) {
      return Optional.empty();
    }
    List<TaskResult.Problem> errors = new ArrayList<>();
    for (JsonNode e : o.path("errors")) {
      errors.add(new TaskResult.Problem(e.hasNonNull("pointer") ? e.get("pointer").asText() : null,
          e.path("message").asText("")));
    }
    JsonNode t = o.path("timing");
    TaskResult.Timing timing = new TaskResult.Timing(t.path("wall_ms").asDouble(), t.path("turns").asInt(),
        t.hasNonNull("first_event_ms") ? t.get("first_event_ms").asDouble() : null,
        t.path("tokens").path("input").asLong(), t.path("tokens").path("output").asLong(),
        t.path("bytes").path("sent").asLong(), t.path("bytes").path("received").asLong(),
        t.path("connects").asLong());
    JsonNode output = o.get("output");
    return Optional.of(new TaskResult(o.get("id").asText(), status.get(),
        o.hasNonNull("exit_code") ? o.get("exit_code").asInt() : null,
        output == null || output.isNull() ? null : output, errors, o.path("attempts").asInt(1),
        o.hasNonNull("transport") ? o.get("transport").asText() : null, timing,
        o.hasNonNull("patch") ? o.get("patch").asText() : null));
  }
}
