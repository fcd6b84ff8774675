package dev.runner.loop;

import dev.runner.protocol.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of one run in order, plus those added since the last request (what an incremental WebSocket turn sends),
 * and the last response with the items it covers. Owned by the loop's thread.
 */
final class Conversation {
  private final List<Item> items = new ArrayList<>();
  private final List<Item> pending = new ArrayList<>();
  /** The latest response whose context is a prefix of {@link #items}, or null. */
  private ResponseMark last;
  /** A stored response of an earlier run the first request may chain from; gone once this run has a response. */
  private ResponseMark storedParent;

  Conversation(List<Item> initial) {
    this(initial, null);
  }

  /**
   * A conversation whose first {@code parent.items()} items the service may still hold as stored response {@code
   * parent.id()} (a resumed session); only the items after them are pending. Null {@code parent}: all are pending.
   */
  Conversation(List<Item> initial, ResponseMark parent) {
    if (parent != null && parent.items() > initial.size()) {
      throw new IllegalArgumentException("the parent response covers " + parent.items() + " items of "
          + initial.size());
    }
    items.addAll(initial);
    pending.addAll(parent == null ? initial : initial.subList(parent.items(), initial.size()));
    last = parent;
    storedParent = parent;
  }

  /** The stored response the next request may chain from, before this run has one of its own; else null. */
  ResponseMark storedParent() {
    return storedParent;
  }

  /** The latest response and the items it covers, or null (none yet, or the conversation was replaced since). */
  ResponseMark last() {
    return last;
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
  void addOutput(List<Item> output, String responseId) {
    pending.clear();
    for (Item item : output) {
      if (item instanceof Item.Compaction) {
        items.clear();
      }
      items.add(item);
    }
    storedParent = null;
    last = responseId == null || responseId.isEmpty() ? null : new ResponseMark(responseId, items.size());
  }

  /** Replaces everything with a compacted window; it is all new to the next request. */
  void replace(List<Item> window) {
    // no response holds the compacted window: nothing can chain from what came before it
    last = null;
    storedParent = null;
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
