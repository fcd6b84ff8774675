package dev.runner.transport;

import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseRequest;
import java.util.List;
import java.util.Objects;

/**
 * One turn as the loop builds it. The transport decides whether to send it whole or incrementally.
 *
 * @param request the full request: its input is the WHOLE conversation, with no {@code previous_response_id}
 * @param newItems the items added since the previous turn's response (tool outputs, a new user message); for the first
 *     turn, the whole input, or the items after {@code storedParent}'s
 * @param storedParent a response an earlier run had the service store ({@code store: true}) whose context is the
 *     request's input without the trailing {@code newItems}, or null. A transport with no chain of its own sends
 *     {@code previous_response_id} with only {@code newItems}; when the service answers {@code
 *     previous_response_not_found} it resends the whole input, once, and does not show the error.
 */
public record TurnRequest(ResponseRequest request, List<Item> newItems, String storedParent) {
  public TurnRequest {
    Objects.requireNonNull(request, "request");
    newItems = List.copyOf(newItems);
    if (storedParent != null && storedParent.isEmpty()) {
      storedParent = null;
    }
  }

  /** A turn with no stored parent. */
  public TurnRequest(ResponseRequest request, List<Item> newItems) {
    this(request, newItems, null);
  }

  /** The request continuing from {@link #storedParent} with only the new items; only when there is one. */
  public ResponseRequest chained(ResponseRequest full) {
    if (storedParent == null) {
      throw new IllegalStateException("no stored parent to chain from");
    }
    return full.incremental(storedParent, newItems);
  }

  /** A first turn: everything is new. */
  public static TurnRequest first(ResponseRequest request) {
    return new TurnRequest(request, request.input());
  }
}
