package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Reads the events of a turn (lifecycle, output items, deltas) straight off the parser into {@link StreamEvent}s:
 * the scalar fields as tokens, only items and a response's output, usage and error as trees. Building a tree for every
 * field (each read sets up a deserialization context) was most of the decoding time on a cold JVM, which is where a
 * run spends its turns.
 *
 * <p>Anything it does not read the way the tree path would (another event type, an {@code error}, a field of an
 * unexpected JSON type) makes it answer null, and {@link EventDecoder} decodes the text again as a tree: the result is
 * the same either way, only the common case is quick.
 */
final class StreamingEventReader {
  private static final Set<String> TYPES = Set.of("response.output_text.delta",
      "response.function_call_arguments.delta", "response.output_item.added", "response.output_item.done",
      "response.created", "response.in_progress", "response.completed", "response.failed", "response.incomplete");

  private StreamingEventReader() {}

  /** The event, or null when the tree path must decide (including for text that is not a JSON object). */
  static StreamEvent read(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String type = null;
    String lane = null;
    String itemId = null;
    String delta = null;
    long seq = -1;
    int outputIndex = 0;
    int contentIndex = 0;
    JsonNode item = null;
    ResponseInfo response = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "type" -> {
          if (t != JsonToken.VALUE_STRING) {
            return null;
          }
          type = p.getText();
          if (!TYPES.contains(type)) {
            return null; // servers send the type first, so the tree path parses an event of another type once
          }
        }
        case "sequence_number" -> {
          if (t != JsonToken.VALUE_NUMBER_INT) {
            return null;
          }
          seq = p.getLongValue();
        }
        case "output_index", "content_index" -> {
          if (t != JsonToken.VALUE_NUMBER_INT) {
            return null;
          }
          if (name.equals("output_index")) {
            outputIndex = p.getIntValue();
          } else {
            contentIndex = p.getIntValue();
          }
        }
        case "stream_id", "item_id", "delta" -> {
          if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
            return null;
          }
          String value = t == JsonToken.VALUE_NULL ? null : p.getText();
          switch (name) {
            case "stream_id" -> lane = value;
            case "item_id" -> itemId = value;
            default -> delta = value;
          }
        }
        case "item" -> {
          if (t != JsonToken.START_OBJECT) {
            return null;
          }
          item = p.readValueAsTree();
        }
        case "response" -> {
          if (t != JsonToken.START_OBJECT) {
            return null;
          }
          response = response(p);
          if (response == null) {
            return null;
          }
        }
        default -> p.skipChildren();
      }
    }
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "response.output_text.delta" -> new StreamEvent.OutputTextDelta(itemId, outputIndex, contentIndex, delta,
          seq, lane);
      case "response.function_call_arguments.delta" -> new StreamEvent.FunctionCallArgumentsDelta(itemId, outputIndex,
          delta, seq, lane);
      case "response.output_item.added" -> item == null
          ? null
          : new StreamEvent.OutputItemAdded(outputIndex, ItemCodec.read(item), seq, lane);
      case "response.output_item.done" -> item == null
          ? null
          : new StreamEvent.OutputItemDone(outputIndex, ItemCodec.read(item), seq, lane);
      case "response.created" -> response == null ? null : new StreamEvent.Created(response, seq, lane);
      case "response.in_progress" -> response == null ? null : new StreamEvent.InProgress(response, seq, lane);
      case "response.completed" -> response == null ? null : new StreamEvent.Completed(response, seq, lane);
      case "response.failed" -> response == null ? null : new StreamEvent.Failed(response, seq, lane);
      case "response.incomplete" -> response == null ? null : new StreamEvent.Incomplete(response, seq, lane);
      default -> null;
    };
  }

  /** An event's {@code response}, the parser on its START_OBJECT; the echoed request is skipped token by token. */
  private static ResponseInfo response(JsonParser p) throws IOException {
    String id = null;
    String status = null;
    List<Item> output = List.of();
    Usage usage = Usage.ZERO;
    ApiError error = null;
    String incomplete = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id", "status" -> {
          if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
            return null;
          }
          String value = t == JsonToken.VALUE_NULL ? null : p.getText();
          if (name.equals("id")) {
            id = value;
          } else {
            status = value;
          }
        }
        case "output" -> output = ItemCodec.readAll(p.readValueAsTree());
        case "usage" -> usage = EventDecoder.usage(p.readValueAsTree());
        case "error" -> error = EventDecoder.responseError(p.readValueAsTree());
        case "incomplete_details" -> incomplete = ItemCodec.text(p.readValueAsTree(), "reason");
        default -> p.skipChildren();
      }
    }
    return new ResponseInfo(id, status, output, usage, error, incomplete);
  }
}
