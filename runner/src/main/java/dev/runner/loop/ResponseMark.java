package dev.runner.loop;

import java.util.Objects;

/**
 * A response and how much of a conversation it holds: the service's context for response {@code id} is the
 * conversation's first {@code items} items (its inputs and, last, its own output). A later request may send {@code
 * previous_response_id: id} with only the items after those, as long as the service still has the response.
 *
 * @param id the response id
 * @param items how many conversation items, from the start, the response's context covers
 */
public record ResponseMark(String id, int items) {
  public ResponseMark {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || items < 0) {
      throw new IllegalArgumentException("a response mark needs an id and a non-negative item count: " + id + ", "
          + items);
    }
  }
}
