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
 *     turn, the whole input
 */
public record TurnRequest(ResponseRequest request, List<Item> newItems) {
  public TurnRequest {
    Objects.requireNonNull(request, "request");
    newItems = List.copyOf(newItems);
  }

  /** A first turn: everything is new. */
  public static TurnRequest first(ResponseRequest request) {
    return new TurnRequest(request, request.input());
  }
}
