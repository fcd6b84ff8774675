package dev.runner.protocol;

/**
 * Token counts of one response ({@code usage}); zero where the server sent nothing.
 *
 * @param inputTokens input tokens, cached ones included
 * @param cachedTokens {@code input_tokens_details.cached_tokens}: input served from the server's cache
 * @param outputTokens output tokens, reasoning included
 * @param reasoningTokens {@code output_tokens_details.reasoning_tokens}
 * @param totalTokens {@code total_tokens}
 */
public record Usage(long inputTokens, long cachedTokens, long outputTokens, long reasoningTokens, long totalTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  public Usage plus(Usage o) {
    return new Usage(
        inputTokens + o.inputTokens,
        cachedTokens + o.cachedTokens,
        outputTokens + o.outputTokens,
        reasoningTokens + o.reasoningTokens,
        totalTokens + o.totalTokens);
  }
}
