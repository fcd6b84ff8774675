package dev.runner.loop;

import dev.runner.protocol.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of one run in order, plus those added since the last request (what an incremental WebSocket turn sends).
 * Owned by the loop's thread.
 */
final class Conversation {
  private final List<Item> items = new ArrayList<>();
  private final List<Item> pending = new ArrayList<>();

  Conversation(List<Item> initial) {
    items.addAll(initial);
    pending.addAll(initial);
  }

  /** Everything so far: the full-context request's input. */
  List<Item> items() {
    return List.copyOf(items);
  }

  /** Inputs added since the model last answered. */
  List<Item> pending() {
    return List.copyOf(pending);
  }

  /**
   * Appends a turn's output. After a compaction item the server holds everything before it in summary, so older items
   * are dropped from the history we resend.
   */
  void addOutput(List<Item> output) {
    pending.clear();
    for (Item item : output) {
      if (item instanceof Item.Compaction) {
        items.clear();
      }
      items.add(item);
    }
  }

  /** Replaces everything with a compacted window; it is all new to the next request. */
  void replace(List<Item> window) {
    items.clear();
    pending.clear();
    items.addAll(window);
    pending.addAll(window);
  }

  void addInputs(List<Item> inputs) {
    items.addAll(inputs);
    pending.addAll(inputs);
  }
}
