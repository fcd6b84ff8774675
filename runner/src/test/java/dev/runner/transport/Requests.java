package dev.runner.transport;

import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Requests and deadlines for tests. */
public final class Requests {
  private Requests() {}

  public static ResponseRequest request(List<Item> input) {
    return new ResponseRequest("gpt-test", "be brief", input, null, "auto", true, false, null, null, null, null, null,
        null, null, null);
  }

  public static TurnRequest first(String userText) {
    return TurnRequest.first(request(List.of(Item.Message.user(userText))));
  }

  /** The next turn: previous input + previous output + a new user message. */
  public static TurnRequest next(TurnRequest previous, TurnResult result, String userText) {
    Item user = Item.Message.user(userText);
    List<Item> input = new java.util.ArrayList<>(previous.request().input());
    input.addAll(result.output());
    input.add(user);
    return new TurnRequest(request(input), List.of(user));
  }

  /**
   * A resumed session's first turn: {@code history} the service may hold as stored response {@code parent}, then a
   * new user message, the only new item.
   */
  public static TurnRequest resumed(List<Item> history, String parent, String userText) {
    Item user = Item.Message.user(userText);
    List<Item> input = new java.util.ArrayList<>(history);
    input.add(user);
    return new TurnRequest(request(input), List.of(user), parent);
  }

  public static Instant soon() {
    return Instant.now().plus(Duration.ofSeconds(20));
  }
}
