package dev.runner.transport;

import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseInfo;
import java.util.List;

/**
 * A completed (or incomplete) response.
 *
 * @param response the terminal {@code response.completed} / {@code response.incomplete} payload: id, status, usage
 * @param output the items from {@code response.output_item.done}, in {@code output_index} order
 * @param facts how the turn travelled
 */
public record TurnResult(ResponseInfo response, List<Item> output, Facts facts) {
  public TurnResult {
    output = List.copyOf(output);
  }

  /**
   * Per-turn facts for reports and metrics.
   *
   * @param transport the wire that carried the final attempt
   * @param incremental true when the final attempt sent only new items with {@code previous_response_id}
   * @param bytesSent request bytes of the final attempt (body or frame)
   * @param requestRetries retries for connect, status or IO errors
   * @param streamRetries retries for broken streams
   * @param reconnects new connections opened during the turn after the first attempt
   */
  public record Facts(TransportKind transport, boolean incremental, long bytesSent, int requestRetries,
      int streamRetries, int reconnects) {}
}
