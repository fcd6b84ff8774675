package dev.runner.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A {@code POST /responses} body, or the fields of a WebSocket {@code response.create} frame. Null fields are not
 * sent. Built by the loop; {@link RequestEncoder} writes it.
 *
 * @param model model id
 * @param instructions system instructions, or null
 * @param input items: the whole conversation, or only the new items when {@code previousResponseId} is set
 * @param tools tool definitions as JSON (function tools), or null
 * @param toolChoice {@code "auto"} or null
 * @param parallelToolCalls whether the model may call several tools in one turn, or null
 * @param store whether the service stores the response ({@code false} for agent loops)
 * @param previousResponseId the response to continue from (WebSocket incremental turns), or null
 * @param text {@code {format:{type:"json_schema",...}}} for structured output, or null
 * @param contextManagement {@code [{type:"compaction", compact_threshold:N}]}, or null
 * @param promptCacheKey a stable key for the service's prompt cache, or null
 * @param reasoning {@code {effort, summary}} or null
 * @param include e.g. {@code ["reasoning.encrypted_content"]}, or null
 * @param generate WebSocket only: {@code false} makes a warm-up that produces no output; null otherwise
 * @param streamId WebSocket lanes only: the lane this response runs in, or null
 */
public record ResponseRequest(
    String model,
    String instructions,
    List<Item> input,
    JsonNode tools,
    String toolChoice,
    Boolean parallelToolCalls,
    Boolean store,
    String previousResponseId,
    JsonNode text,
    JsonNode contextManagement,
    String promptCacheKey,
    JsonNode reasoning,
    List<String> include,
    Boolean generate,
    String streamId) {

  public ResponseRequest {
    input = List.copyOf(input);
    include = include == null ? null : List.copyOf(include);
  }

  /** The same request continuing from {@code responseId} with only {@code newItems} as input. */
  public ResponseRequest incremental(String responseId, List<Item> newItems) {
    return new ResponseRequest(model, instructions, newItems, tools, toolChoice, parallelToolCalls, store, responseId,
        text, contextManagement, promptCacheKey, reasoning, include, generate, streamId);
  }

  /** The same request with the whole conversation and no parent: the HTTP form, or a WebSocket recovery. */
  public ResponseRequest full(List<Item> conversation) {
    return new ResponseRequest(model, instructions, conversation, tools, toolChoice, parallelToolCalls, store, null,
        text, contextManagement, promptCacheKey, reasoning, include, generate, streamId);
  }

  public ResponseRequest withStreamId(String lane) {
    return new ResponseRequest(model, instructions, input, tools, toolChoice, parallelToolCalls, store,
        previousResponseId, text, contextManagement, promptCacheKey, reasoning, include, generate, lane);
  }

  /**
   * True when every field but {@code input} and {@code previous_response_id} equals {@code other}'s: one of the
   * conditions for sending only new items over WebSocket.
   */
  public boolean sameSettingsAs(ResponseRequest other) {
    return other != null && java.util.Objects.equals(model, other.model)
        && java.util.Objects.equals(instructions, other.instructions)
        && java.util.Objects.equals(tools, other.tools) && java.util.Objects.equals(toolChoice, other.toolChoice)
        && java.util.Objects.equals(parallelToolCalls, other.parallelToolCalls)
        && java.util.Objects.equals(store, other.store) && java.util.Objects.equals(text, other.text)
        && java.util.Objects.equals(contextManagement, other.contextManagement)
        && java.util.Objects.equals(promptCacheKey, other.promptCacheKey)
        && java.util.Objects.equals(reasoning, other.reasoning) && java.util.Objects.equals(include, other.include)
        && java.util.Objects.equals(streamId, other.streamId);
  }
}
