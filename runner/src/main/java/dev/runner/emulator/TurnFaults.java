package dev.runner.emulator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which one-shot faults a conversation's turn has had, so each {@code KIND@N} rule (and a scenario turn's fault) hits
 * every conversation once at turn N and a retry of that turn gets past it.
 *
 * <p>A turn is known by its {@link ConversationKey} and number, and remembers how many items its conversation had
 * when it first came. A request with the same key and turn is then:
 *
 * <ul>
 *   <li>with as many items, while rules are left to fire: the same request retried, given the next rule's fault;
 *   <li>with as many items after one attempt got through with no fault: a new conversation with the same start
 *       (same instructions and prompt, no tool call yet): it starts the turn over and sees the faults again;
 *   <li>with fewer items: a new conversation too;
 *   <li>with more items: the same conversation later at the same turn number (a schema repair turn): no fault.
 * </ul>
 *
 * Two conversations with the same start that run at once (at turn 1, no {@code prompt_cache_key}) cannot be told
 * apart: each fault then goes to one of them. The memory is bounded: the least recently used turns are forgotten
 * past {@link #CAPACITY}, so a forgotten turn faults again. Not thread-safe: {@link FaultPlan} holds its lock.
 */
final class TurnFaults {
  /** Turns remembered; one entry is under 200 bytes. */
  static final int CAPACITY = 10_000;

  /** One conversation's turn: its item count when it came, the rules fired on it, whether an attempt got through. */
  static final class Turn {
    private final int items;
    private final Set<Integer> fired = new HashSet<>();
    private boolean passed;

    private Turn(int items) {
      this.items = items;
    }

    /** True (and remembered) when {@code rule} has not fired on this turn yet. */
    boolean fire(int rule) {
      return fired.add(rule);
    }

    /** Marks that an attempt got through with no one-shot fault. */
    void pass() {
      passed = true;
    }
  }

  private final Map<String, Turn> turns = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Turn> eldest) {
      return size() > CAPACITY;
    }
  };

  /**
   * The turn state a request at {@code turn} of conversation {@code key} with {@code items} items should use, or
   * null when the conversation is past this turn's faults (a later request at the same turn number).
   */
  Turn at(String key, int turn, int items) {
    String id = key + "#" + turn;
    Turn t = turns.get(id);
    if (t != null && items > t.items) {
      return null;
    }
    if (t == null || items < t.items || t.passed) {
      t = new Turn(items);
      turns.put(id, t);
    }
    return t;
  }

  int size() {
    return turns.size();
  }

  void clear() {
    turns.clear();
  }
}
