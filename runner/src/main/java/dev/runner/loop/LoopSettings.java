package dev.runner.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * How one {@code exec} run is driven.
 *
 * @param model model id
 * @param instructions the system instructions sent with every turn
 * @param textFormat {@code text} for structured output ({@code {format:{type:"json_schema",...}}}), or null
 * @param maxTurns most model turns, repair turns included (default 100)
 * @param timeout deadline for the whole run (default 30 minutes)
 * @param parallelToolCalls let the model call several tools in one turn; they then run concurrently
 * @param schemaRetries repair turns allowed when the final answer fails its check (default 1)
 * @param compactThreshold {@code model_auto_compact_token_limit}: compact the conversation once it reaches this many
 *     tokens (server-side over WebSocket, {@code /responses/compact} over HTTP; see {@code AutoCompaction}), or 0 for
 *     never
 * @param reasoning the request's {@code reasoning} ({@code {effort, summary}}), or null for none
 * @param include the request's {@code include} (e.g. {@code ["reasoning.encrypted_content"]}), or null for none
 * @param store the request's {@code store}: whether the service keeps each response (false, as codex sends)
 */
public record LoopSettings(
    String model,
    String instructions,
    JsonNode textFormat,
    int maxTurns,
    Duration timeout,
    boolean parallelToolCalls,
    int schemaRetries,
    long compactThreshold,
    JsonNode reasoning,
    java.util.List<String> include,
    boolean store) {
  public static final int DEFAULT_MAX_TURNS = 100;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  public static final int DEFAULT_SCHEMA_RETRIES = 1;

  /** Settings that send no {@code reasoning} and no {@code include}. */
  public LoopSettings(String model, String instructions, JsonNode textFormat, int maxTurns, Duration timeout,
      boolean parallelToolCalls, int schemaRetries, long compactThreshold) {
    this(model, instructions, textFormat, maxTurns, timeout, parallelToolCalls, schemaRetries, compactThreshold, null,
        null);
  }

  /** Settings that send {@code store: false}. */
  public LoopSettings(String model, String instructions, JsonNode textFormat, int maxTurns, Duration timeout,
      boolean parallelToolCalls, int schemaRetries, long compactThreshold, JsonNode reasoning,
      java.util.List<String> include) {
    this(model, instructions, textFormat, maxTurns, timeout, parallelToolCalls, schemaRetries, compactThreshold,
        reasoning, include, false);
  }

  public LoopSettings {
    include = include == null ? null : java.util.List.copyOf(include);
    if (maxTurns < 1) {
      throw new IllegalArgumentException("maxTurns must be at least 1");
    }
    if (compactThreshold < 0) {
      throw new IllegalArgumentException("compactThreshold must not be negative");
    }
    if (schemaRetries < 0) {
      throw new IllegalArgumentException("schemaRetries must not be negative");
    }
  }
}
