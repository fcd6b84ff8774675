package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one create into a {@link Plan}: resolves {@code previous_response_id} (lane cache first, then the server-wide
 * store when the request allows storage), asks the scripted model, applies faults and latency, estimates usage, and
 * records stats. With {@code context_management} and a rendered input above its threshold, the output starts with a
 * compaction item and the response kept for chaining holds only that item and what follows; a compaction item in the
 * input likewise replaces the parent and everything before it. Shared by both transports so they behave identically. Thread-safe.
 */
final class ResponseEngine {
  private final ScriptedModel model;
  private final LatencyModel latency;
  private final FaultPlan faults;
  private final ResponseStore store;
  private final StatsRecorder stats;
  private final Ids ids;

  ResponseEngine(ScriptedModel model, LatencyModel latency, FaultPlan faults, ResponseStore store,
      StatsRecorder stats, Ids ids) {
    this.model = model;
    this.latency = latency;
    this.faults = faults;
    this.store = store;
    this.stats = stats;
    this.ids = ids;
  }

  private record SizedSettings(List<JsonNode> settings, long bytes) {}

  /** The last request's settings with their size; shared by all connections, hence replaced, never changed. */
  private volatile SizedSettings lastSettings;

  /** What a plan produced besides its steps: the response to cache on the lane, if it completed. */
  record Outcome(Plan plan, StoredResponse completed) {}

  /**
   * @param laneCache the connection lane's latest response (WebSocket) or null (HTTP)
   * @param websocket which transport asks, for the latency model
   */
  Outcome plan(CreateRequest req, StoredResponse laneCache, boolean websocket) {
    StoredResponse parent = null;
    boolean cachedParent = false;
    if (req.previousResponseId() == null) {
      stats.increment(StatsRecorder.Counter.FULL_CREATES);
    } else {
      stats.increment(StatsRecorder.Counter.INCREMENTAL_CREATES);
      if (laneCache != null && laneCache.id().equals(req.previousResponseId())) {
        stats.increment(StatsRecorder.Counter.CACHE_HITS);
        parent = laneCache;
        cachedParent = true;
      } else {
        stats.increment(StatsRecorder.Counter.CACHE_MISSES);
        parent = req.store() ? store.get(req.previousResponseId()) : null;
        if (parent == null) {
          return new Outcome(new Plan.Reject(notFound(req.previousResponseId()), Map.of(), null), null);
        }
      }
    }
    List<JsonNode> input = req.input();
    if (CompactionSummary.lastIn(input) >= 0) {
      // a compacted window: its item summarizes the parent (the model reads it; other input items still render)
      parent = null;
      cachedParent = false;
    }
    List<JsonNode> items = new ArrayList<>(parent == null ? List.of() : parent.items());
    items.addAll(input);
    List<JsonNode> settings = java.util.Arrays.asList(req.body().get("instructions"), req.body().get("tools"));
    long settingsBytes = settingsBytes(settings);
    long newBytes = 0;
    for (JsonNode i : input) {
      newBytes += bytes(i);
    }
    long parentBytes = parent == null ? 0 : parent.bytes();
    Conversation conversation = new Conversation(items, parentBytes + newBytes + settingsBytes);
    long inputTokens = (conversation.bytes() + 3) / 4;
    long cachedTokens = Math.min(inputTokens, (cachedParent ? parentBytes : 0) / 4);
    boolean sameSettings = cachedParent && settings.equals(parent.settings());
    long uncachedBytes = cachedParent ? newBytes + (sameSettings ? 0 : settingsBytes) : conversation.bytes();

    String id = ids.next("resp");
    ResponseEvents events = new ResponseEvents(req, id, System.currentTimeMillis() / 1000, latency);
    if (!req.generate()) {
      events.start(latency.beforeCreated(cachedParent, websocket, uncachedBytes));
      events.finish("completed", List.of(), ResponseEvents.usage(inputTokens, cachedTokens, 0), null, null);
      return finish(events, false, new StoredResponse(id, items, parentBytes + newBytes, settings), req);
    }

    ScriptedModel.Reply reply = model.answer(conversation, req.tools(), req.textFormat());
    if (reply instanceof ScriptedModel.Reply.Unanswerable u) {
      return new Outcome(new Plan.Reject(new ApiError(400, "invalid_request_error", "scenario_schema_mismatch",
          u.message(), "text.format"), Map.of(), null), null);
    }
    if (reply instanceof ScriptedModel.Reply.Refusal r) {
      return new Outcome(new Plan.Reject(refusalError(r), Map.of(), null, new Plan.Body(r.contentType(),
          r.body().isTextual() ? r.body().asText() : r.body().toString())), null);
    }
    int turn = reply instanceof ScriptedModel.Reply.Output o ? o.turn() : ((ScriptedModel.Reply.Failure) reply).turn();
    long turnLatency = reply instanceof ScriptedModel.Reply.Output o
        ? o.latencyMs()
        : ((ScriptedModel.Reply.Failure) reply).latencyMs();
    String scripted = reply instanceof ScriptedModel.Reply.Output o
        ? o.fault()
        : ((ScriptedModel.Reply.Failure) reply).fault();
    FaultKind fault = faults.forTurn(turn, scripted, () -> ConversationKey.of(req, items), items.size());
    if (fault == FaultKind.PREVIOUS_NOT_FOUND && req.previousResponseId() == null) {
      fault = null; // only a chained request can miss its parent; the service never says this to a full request
    }
    if (fault == FaultKind.CONNECTION_LIMIT && !websocket) {
      fault = null; // the limit is on a socket's age: an HTTP request has no socket for the service to retire
    }
    if (fault != null) {
      stats.increment(StatsRecorder.Counter.FAULTS);
      Plan.Reject reject = rejectFor(fault, req);
      if (reject != null) {
        return new Outcome(reject, null);
      }
    }
    events.start(latency.beforeCreated(cachedParent, websocket, uncachedBytes).plusMillis(turnLatency));
    if (reply instanceof ScriptedModel.Reply.Failure f) {
      ObjectNode error = Json.MAPPER.createObjectNode().put("code", f.code()).put("message", f.message());
      events.finish("failed", List.of(), ResponseEvents.usage(inputTokens, cachedTokens, 0), error, null);
      return finish(events, true, null, req);
    }
    List<OutputItem> output = new ArrayList<>();
    boolean compacted = req.compactThreshold() > 0 && inputTokens > req.compactThreshold();
    if (compacted) {
      stats.increment(StatsRecorder.Counter.COMPACTIONS);
      output.add(new OutputItem.Compaction(ids.next("cmp"), conversation.summarize().encode()));
    }
    output.addAll(((ScriptedModel.Reply.Output) reply).items());
    long outputTokens = output.stream().mapToLong(OutputItem::tokens).sum();
    ObjectNode usage = ResponseEvents.usage(inputTokens, cachedTokens, outputTokens);
    for (int i = 0; i < output.size(); i++) {
      events.item(i, output.get(i));
      if (i == 0 && fault != null) {
        switch (fault) {
          case RESET, CLOSE_1008, STALL, TRUNCATED -> {
            events.fault(fault);
            return finish(events, true, null, req);
          }
          case MALFORMED, BINARY, OVERSIZED -> events.fault(fault);
          default -> {
            // failed/incomplete are handled below; the rest were rejected above
          }
        }
      }
    }
    if (fault == FaultKind.FAILED) {
      ObjectNode error = Json.MAPPER.createObjectNode().put("code", "server_error")
          .put("message", "The model failed to generate a response (injected fault).");
      events.finish("failed", output, usage, error, null);
      return finish(events, true, null, req);
    }
    if (fault == FaultKind.INCOMPLETE) {
      events.finish("incomplete", output, usage, null, "max_output_tokens");
      return finish(events, true, null, req);
    }
    events.finish("completed", output, usage, null, null);
    // after a compaction the server keeps only the window it would render next time
    List<JsonNode> all = compacted ? new ArrayList<>() : new ArrayList<>(items);
    long outBytes = 0;
    for (OutputItem o : output) {
      ObjectNode json = o.toJson();
      all.add(json);
      outBytes += bytes(json);
    }
    long kept = compacted ? outBytes : parentBytes + newBytes + outBytes;
    return finish(events, false, new StoredResponse(id, all, kept, settings), req);
  }

  private Outcome finish(ResponseEvents events, boolean failed, StoredResponse done, CreateRequest req) {
    stats.add(StatsRecorder.Counter.INJECTED_MS, events.delayedMillis());
    if (done != null && req.store()) {
      store.put(done);
    }
    return new Outcome(new Plan.Run(events.steps(), failed), done);
  }

  private static Plan.Reject rejectFor(FaultKind fault, CreateRequest req) {
    return switch (fault) {
      case HTTP_429 -> new Plan.Reject(new ApiError(429, "requests", "rate_limit_exceeded",
          "Rate limit reached for requests (injected fault). Please try again in 1s.", null),
          Map.of("retry-after", "1", "retry-after-ms", "1000"), fault);
      case HTTP_500 -> new Plan.Reject(new ApiError(500, "server_error", "server_error",
          "The server had an error while processing your request (injected fault).", null), Map.of(), fault);
      case HTTP_503 -> new Plan.Reject(new ApiError(503, "server_error", "server_is_overloaded",
          "The server is overloaded (injected fault). Please retry later.", null), Map.of(), fault);
      case PREVIOUS_NOT_FOUND -> new Plan.Reject(notFound(req.previousResponseId() == null
          ? "(none)"
          : req.previousResponseId()), Map.of(), fault);
      case CONNECTION_LIMIT -> new Plan.Reject(connectionLimit(), Map.of(), fault);
      default -> null;
    };
  }

  static ApiError notFound(String id) {
    return new ApiError(400, "invalid_request_error", "previous_response_not_found",
        "Previous response with id '" + id + "' not found.", "previous_response_id");
  }

  static ApiError connectionLimit() {
    return new ApiError(400, "invalid_request_error", "websocket_connection_limit_reached",
        "Responses websocket connection limit reached (60 minutes). Create a new websocket connection to continue.",
        null);
  }

  /**
   * The rendered size of {@code instructions} and {@code tools}. Clients send the same ones every turn, and comparing
   * them with the last request's is far cheaper than rendering a tool list (17 KB from codex) again.
   */
  private long settingsBytes(List<JsonNode> settings) {
    SizedSettings last = lastSettings;
    if (last != null && last.settings().equals(settings)) {
      return last.bytes();
    }
    long size = bytes(settings.get(0)) + bytes(settings.get(1));
    lastSettings = new SizedSettings(settings, size);
    return size;
  }

  static long bytes(JsonNode node) {
    if (node == null || node.isNull()) {
      return 0;
    }
    return node.isTextual() ? node.asText().getBytes(StandardCharsets.UTF_8).length : Json.utf8(node).length;
  }

  /** The WebSocket form of a scripted refusal: an OpenAI body's error, or a problem's title and detail. */
  private static ApiError refusalError(ScriptedModel.Reply.Refusal r) {
    JsonNode e = r.body().path("error");
    if (e.isObject()) {
      return new ApiError(r.status(), e.path("type").asText(null), e.path("code").asText(null),
          e.path("message").asText(null), e.path("param").asText(null));
    }
    String title = r.body().path("title").asText("");
    String detail = r.body().path("detail").asText("");
    String message = title.isEmpty() ? detail : detail.isEmpty() ? title : title + ": " + detail;
    return new ApiError(r.status(), "invalid_request_error", null, message.isEmpty() ? r.body().toString() : message,
        null);
  }
}
