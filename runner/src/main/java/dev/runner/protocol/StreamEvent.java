package dev.runner.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A server event of a streamed response, named after its wire {@code type}. SSE and WebSocket carry the same JSON;
 * {@link EventDecoder} turns either into these records. Types a client does not act on arrive as {@link Other}.
 * {@code sequenceNumber} is -1 when absent; {@code streamId} is null outside WebSocket lanes.
 */
public sealed interface StreamEvent {
  String type();

  long sequenceNumber();

  String streamId();

  /** True for the events after which the server sends nothing more for this response. */
  default boolean isTerminal() {
    return this instanceof Completed || this instanceof Failed || this instanceof Incomplete || this instanceof Error;
  }

  /** {@code response.created}. */
  record Created(ResponseInfo response, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.created";
    }
  }

  /** {@code response.in_progress}. */
  record InProgress(ResponseInfo response, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.in_progress";
    }
  }

  /** {@code response.output_item.added}: an item starts (its content may still be empty). */
  record OutputItemAdded(int outputIndex, Item item, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.output_item.added";
    }
  }

  /** {@code response.output_item.done}: the authoritative, complete item. */
  record OutputItemDone(int outputIndex, Item item, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.output_item.done";
    }
  }

  /** {@code response.output_text.delta}: a chunk of message text. */
  record OutputTextDelta(String itemId, int outputIndex, int contentIndex, String delta, long sequenceNumber,
      String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.output_text.delta";
    }
  }

  /** {@code response.function_call_arguments.delta}: a chunk of a function call's arguments. */
  record FunctionCallArgumentsDelta(String itemId, int outputIndex, String delta, long sequenceNumber,
      String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.function_call_arguments.delta";
    }
  }

  /** {@code response.completed}. */
  record Completed(ResponseInfo response, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.completed";
    }
  }

  /** {@code response.failed}: the response's {@code error} says why. */
  record Failed(ResponseInfo response, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.failed";
    }
  }

  /** {@code response.incomplete}: stopped early, {@code incomplete_details.reason} says why. */
  record Incomplete(ResponseInfo response, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "response.incomplete";
    }
  }

  /** {@code error}: SSE's flat form and WebSocket's nested form both land here. */
  record Error(ApiError error, long sequenceNumber, String streamId) implements StreamEvent {
    @Override
    public String type() {
      return "error";
    }
  }

  /** Any other event type (there are ~58), kept as JSON for logging; clients skip it. */
  record Other(String type, ObjectNode json, long sequenceNumber, String streamId) implements StreamEvent {}
}
