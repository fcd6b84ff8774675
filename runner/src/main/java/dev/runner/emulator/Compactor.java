package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/responses/compact}: {@code {model, input | previous_response_id, instructions?}} becomes a
 * {@code response.compaction} object whose {@code output} is the replacement window, shaped like the spec's example:
 * the task as a user message, then one compaction item summarizing the whole conversation. A client sends that window
 * as the next request's input, without {@code previous_response_id}. Thread-safe.
 */
final class Compactor {
  private final ResponseStore store;
  private final StatsRecorder stats;
  private final Ids ids;

  Compactor(ResponseStore store, StatsRecorder stats, Ids ids) {
    this.store = store;
    this.stats = stats;
    this.ids = ids;
  }

  /**
   * @throws CreateRequest.Invalid for a body the service would answer with 400: no model, neither input nor a known
   *     {@code previous_response_id}, or a compaction item this emulator did not make
   */
  ObjectNode compact(JsonNode node) throws CreateRequest.Invalid {
    stats.increment(StatsRecorder.Counter.COMPACT_REQUESTS);
    if (node == null || !node.isObject()) {
      throw CreateRequest.invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    JsonNode model = node.get("model");
    if (model == null || !model.isTextual() || model.asText().isEmpty()) {
      throw CreateRequest.invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
    }
    JsonNode in = node.get("input");
    JsonNode previous = node.get("previous_response_id");
    boolean hasInput = in != null && (in.isArray() || in.isTextual());
    boolean hasPrevious = previous != null && previous.isTextual();
    if (!hasInput && !hasPrevious) {
      throw CreateRequest.invalid("Provide 'input' or 'previous_response_id' to compact.", "input",
          "missing_required_parameter");
    }
    List<JsonNode> items = new ArrayList<>();
    if (hasPrevious) {
      StoredResponse parent = store.get(previous.asText());
      if (parent == null) {
        throw new CreateRequest.Invalid(ResponseEngine.notFound(previous.asText()));
      }
      items.addAll(parent.items());
    }
    if (hasInput) {
      items.addAll(CreateRequest.inputItems(in));
    }
    int cut = CompactionSummary.lastIn(items);
    List<JsonNode> window = cut < 0 ? items : items.subList(cut, items.size());
    long bytes = ResponseEngine.bytes(node.get("instructions"));
    for (JsonNode i : window) {
      bytes += ResponseEngine.bytes(i);
    }
    Conversation conversation = new Conversation(window, bytes);
    CompactionSummary summary = conversation.summarize();
    OutputItem.Compaction item = new OutputItem.Compaction(ids.next("cmp"), summary.encode());
    stats.increment(StatsRecorder.Counter.COMPACTIONS);

    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", ids.next("resp")).put("object", "response.compaction")
        .put("created_at", System.currentTimeMillis() / 1000);
    ArrayNode output = r.putArray("output");
    if (!summary.prompt().isEmpty()) {
      ObjectNode user = output.addObject().put("id", ids.next("msg")).put("type", "message")
          .put("status", "completed");
      user.putArray("content").addObject().put("type", "input_text").put("text", summary.prompt());
      user.put("role", "user");
    }
    output.add(item.toJson());
    r.set("usage", ResponseEvents.usage((bytes + 3) / 4, 0, item.tokens()));
    return r;
  }
}
