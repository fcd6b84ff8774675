package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the event sequence of one response the way the service streams it: created, in_progress, then per item
 * {@code output_item.added}, content part / text deltas or argument deltas, their {@code done} events and
 * {@code output_item.done}, then the terminal event with a spec-complete {@code Response}. Sequence numbers start at
 * 0 and increase by one.
 */
final class ResponseEvents {
  private static final int CHUNK = 16;

  private final CreateRequest request;
  private final String id;
  private final long createdAt;
  private final LatencyModel latency;
  private final List<Plan.Step> steps = new ArrayList<>();
  private long sequence;
  private long delayedNanos;

  ResponseEvents(CreateRequest request, String id, long createdAt, LatencyModel latency) {
    this.request = request;
    this.id = id;
    this.createdAt = createdAt;
    this.latency = latency;
  }

  List<Plan.Step> steps() {
    return steps;
  }

  long delayedMillis() {
    return delayedNanos / 1_000_000;
  }

  void start(Duration before) {
    add(event("response.created").set("response", response("in_progress", List.of(), null, null, null)), before);
    add(event("response.in_progress").set("response", response("in_progress", List.of(), null, null, null)),
        Duration.ZERO);
  }

  /** Emits one item's events; the first item waits for the time to first token. */
  void item(int index, OutputItem item) {
    Duration first = index == 0 ? latency.firstToken() : Duration.ZERO;
    ObjectNode added = item.toJson().put("status", "in_progress");
    switch (item) {
      case OutputItem.Message m -> {
        added.putArray("content");
        add(indexed("response.output_item.added", index).set("item", added), first);
        ObjectNode part = OutputItem.Message.part("");
        add(content("response.content_part.added", m.id(), index).set("part", part), Duration.ZERO);
        for (String chunk : chunks(m.text())) {
          add(content("response.output_text.delta", m.id(), index).put("delta", chunk).set("logprobs",
              Json.MAPPER.createArrayNode()), latency.perDelta(tokens(chunk)));
        }
        add(content("response.output_text.done", m.id(), index).put("text", m.text()).set("logprobs",
            Json.MAPPER.createArrayNode()), Duration.ZERO);
        add(content("response.content_part.done", m.id(), index).set("part", OutputItem.Message.part(m.text())),
            Duration.ZERO);
      }
      case OutputItem.FunctionCall f -> {
        added.put("arguments", "");
        add(indexed("response.output_item.added", index).set("item", added), first);
        for (String chunk : chunks(f.arguments())) {
          add(indexed("response.function_call_arguments.delta", index).put("item_id", f.id()).put("delta", chunk),
              latency.perDelta(tokens(chunk)));
        }
        add(indexed("response.function_call_arguments.done", index).put("item_id", f.id()).put("name", f.name())
            .put("arguments", f.arguments()), Duration.ZERO);
      }
      case OutputItem.CustomCall c -> {
        added.put("input", "");
        add(indexed("response.output_item.added", index).set("item", added), first);
        for (String chunk : chunks(c.input())) {
          add(indexed("response.custom_tool_call_input.delta", index).put("item_id", c.id()).put("delta", chunk),
              latency.perDelta(tokens(chunk)));
        }
        add(indexed("response.custom_tool_call_input.done", index).put("item_id", c.id()).put("input", c.input()),
            Duration.ZERO);
      }
      // produced whole by the server: added already carries the finished item
      case OutputItem.Reasoning r -> add(indexed("response.output_item.added", index).set("item", r.toJson()), first);
      case OutputItem.Compaction c -> add(indexed("response.output_item.added", index).set("item", c.toJson()),
          first);
    }
    add(indexed("response.output_item.done", index).set("item", item.toJson()), Duration.ZERO);
  }

  /** The terminal event: {@code completed}, {@code failed} (with error) or {@code incomplete} (with reason). */
  void finish(String status, List<OutputItem> output, ObjectNode usage, ObjectNode error, String incompleteReason) {
    String type = switch (status) {
      case "failed" -> "response.failed";
      case "incomplete" -> "response.incomplete";
      default -> "response.completed";
    };
    add(event(type).set("response", response(status, output, usage, error, incompleteReason)), Duration.ZERO);
  }

  void fault(FaultKind kind) {
    steps.add(new Plan.Step.Fault(kind, Duration.ZERO));
  }

  /** A spec-complete {@code Response} object (required-but-nullable keys present). */
  ObjectNode response(String status, List<OutputItem> output, ObjectNode usage, ObjectNode error,
      String incompleteReason) {
    ObjectNode body = request.body();
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", id).put("object", "response").put("created_at", createdAt).put("status", status);
    r.put("background", false);
    if ("completed".equals(status)) {
      r.put("completed_at", System.currentTimeMillis() / 1000);
    } else {
      r.putNull("completed_at");
    }
    r.set("error", error == null ? Json.MAPPER.nullNode() : error);
    if (incompleteReason == null) {
      r.putNull("incomplete_details");
    } else {
      r.putObject("incomplete_details").put("reason", incompleteReason);
    }
    r.set("instructions", orNull(body.get("instructions")));
    r.set("max_output_tokens", orNull(body.get("max_output_tokens")));
    r.putNull("max_tool_calls");
    r.put("model", request.model());
    ArrayNode out = r.putArray("output");
    output.forEach(i -> out.add(i.toJson()));
    r.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
    r.set("previous_response_id", orNull(body.get("previous_response_id")));
    r.set("prompt_cache_key", orNull(body.get("prompt_cache_key")));
    JsonNode reasoning = body.get("reasoning");
    if (reasoning != null && reasoning.isObject()) {
      r.set("reasoning", reasoning);
    } else {
      r.putObject("reasoning").putNull("effort").putNull("summary");
    }
    r.putNull("safety_identifier");
    r.put("service_tier", "default");
    r.put("store", request.store());
    r.put("temperature", body.path("temperature").asDouble(1.0));
    JsonNode text = body.get("text");
    if (text != null && text.isObject()) {
      r.set("text", text);
    } else {
      r.putObject("text").putObject("format").put("type", "text");
    }
    JsonNode choice = body.get("tool_choice");
    r.set("tool_choice", choice == null || choice.isNull() ? Json.MAPPER.getNodeFactory().textNode("auto") : choice);
    JsonNode tools = body.get("tools");
    r.set("tools", tools != null && tools.isArray() ? tools : Json.MAPPER.createArrayNode());
    r.put("top_logprobs", 0);
    r.put("top_p", body.path("top_p").asDouble(1.0));
    r.put("truncation", "disabled");
    if (usage != null) {
      r.set("usage", usage); // the spec types it as a non-null object: absent until known
    }
    JsonNode metadata = body.get("metadata");
    r.set("metadata", metadata != null && metadata.isObject() ? metadata : Json.MAPPER.createObjectNode());
    return r;
  }

  static ObjectNode usage(long inputTokens, long cachedTokens, long outputTokens) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    u.put("input_tokens", inputTokens);
    u.putObject("input_tokens_details").put("cached_tokens", cachedTokens).put("cache_write_tokens", 0);
    u.put("output_tokens", outputTokens);
    u.putObject("output_tokens_details").put("reasoning_tokens", 0);
    u.put("total_tokens", inputTokens + outputTokens);
    return u;
  }

  private static JsonNode orNull(JsonNode v) {
    return v == null ? Json.MAPPER.nullNode() : v;
  }

  private ObjectNode event(String type) {
    return Json.MAPPER.createObjectNode().put("type", type);
  }

  private ObjectNode indexed(String type, int index) {
    return event(type).put("output_index", index);
  }

  private ObjectNode content(String type, String itemId, int index) {
    return event(type).put("item_id", itemId).put("output_index", index).put("content_index", 0);
  }

  private void add(ObjectNode event, Duration delay) {
    event.put("sequence_number", sequence++);
    delayedNanos += delay.toNanos();
    steps.add(new Plan.Step.Event(event, delay));
  }

  private static long tokens(String chunk) {
    return Math.max(1, (chunk.length() + 3) / 4);
  }

  static List<String> chunks(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += CHUNK) {
      int end = Math.min(text.length(), i + CHUNK);
      // never split a surrogate pair across two deltas
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      out.add(text.substring(i, end));
      i = end - CHUNK;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }
}
