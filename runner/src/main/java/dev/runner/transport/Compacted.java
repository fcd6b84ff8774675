package dev.runner.transport;

import dev.runner.protocol.Item;
import dev.runner.protocol.Usage;
import java.util.List;

/**
 * The answer of {@code POST /responses/compact}: a replacement window for the conversation.
 *
 * @param id the compaction's id
 * @param output the items to send as the next turn's whole input (with no {@code previous_response_id}); typically
 *     the task as a user message and one opaque compaction item
 * @param usage tokens the compaction pass consumed
 */
public record Compacted(String id, List<Item> output, Usage usage) {
  public Compacted {
    output = List.copyOf(output);
  }
}
