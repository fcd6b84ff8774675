package dev.runner.loop;

import dev.runner.protocol.Item;
import dev.runner.protocol.StreamEvent;
import dev.runner.protocol.Usage;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolResult;

/**
 * What the loop reports while it runs, for progress output, JSONL events and metrics. Callbacks fire on the loop's
 * thread in this order: {@code sessionStarted}, then per turn {@code turnStarted}, {@code event}*, {@code
 * turnCompleted} (or {@code turnFailed}), then for its tool calls {@code toolStarted}/{@code toolFinished} (tools of one
 * turn may interleave and run on other threads), and finally {@code sessionFinished}. Implementations must be fast and
 * must not throw.
 */
public interface LoopListener {
  default void sessionStarted(String sessionId) {}

  /** @param turn 1-based turn number; {@code repair} when this turn asks the model to fix its final answer */
  default void turnStarted(int turn, boolean repair) {}

  /** Every stream event as it arrives. */
  default void event(int turn, StreamEvent event) {}

  default void turnCompleted(int turn, Usage usage, java.util.List<Item> output) {}

  default void turnFailed(int turn, String message) {}

  /**
   * The conversation was compacted: by the service inside turn {@code turn}'s output ({@code serverSide}), or through
   * {@code /responses/compact} just before turn {@code turn}. Counts are conversation items before and after.
   */
  default void compacted(int turn, boolean serverSide, int itemsBefore, int itemsAfter) {}

  default void toolStarted(int turn, ToolCall call) {}

  default void toolFinished(int turn, ToolCall call, ToolResult result, long nanos) {}

  /** The final message the model gave, before validation. */
  default void finalMessage(String text) {}

  default void sessionFinished(boolean success, Usage total) {}

  /**
   * The conversation's latest response, as the session ends (just before {@link #conversationEnded}), when it has one:
   * {@code mark} says which of the conversation's items the response covers; {@code stored} whether it was created
   * with {@code store: true}, i.e. whether a later run may chain from it; {@code transport} the wire it came on.
   */
  default void lastResponse(ResponseMark mark, dev.runner.transport.TransportKind transport, boolean stored) {}

  /**
   * The conversation as the next request would send it (history, inputs, outputs, tool results), once the session
   * ends, whether it succeeded or not; fires just before {@link #sessionFinished}. What a saved session keeps.
   */
  default void conversationEnded(java.util.List<Item> items) {}

  /** Sends every callback to each of {@code listeners} in order. */
  static LoopListener all(java.util.List<LoopListener> listeners) {
    return new CompositeLoopListener(java.util.List.copyOf(listeners));
  }
}
