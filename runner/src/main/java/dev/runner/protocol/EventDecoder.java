package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Turns one server event's JSON (an SSE {@code data} payload or a WebSocket text frame) into a {@link StreamEvent}.
 * Unknown types and fields are kept or skipped, never fatal; only text that is not a JSON object is an error.
 */
public final class EventDecoder {
  private EventDecoder() {}

  /**
   * The fields of an event's {@code response} that {@link ResponseInfo} reads. The server echoes the whole request
   * there (instructions, tools, the output schema) in three events per turn; skipping it without building nodes
   * halves the decoding time of a turn.
   */
  private static final Set<String> RESPONSE_FIELDS = Set.of("id", "status", "output", "usage", "error",
      "incomplete_details");

  /** @throws MalformedEventException when {@code json} is not a JSON object with a {@code type} */
  public static StreamEvent decode(String json) {
    try (JsonParser parser = Json.MAPPER.createParser(json)) {
      StreamEvent event = StreamingEventReader.read(parser);
      if (event != null) {
        return event;
      }
    } catch (IOException e) {
      // the tree path below reports what is wrong, or reads what the streaming one would not
    }
    return decodeAsTree(json);
  }

  /** @throws MalformedEventException when {@code bytes} are not a JSON object with a {@code type} */
  public static StreamEvent decode(byte[] bytes) {
    try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
      StreamEvent event = StreamingEventReader.read(parser);
      if (event != null) {
        return event;
      }
    } catch (IOException e) {
      // as above
    }
    try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
      return decode(read(parser));
    } catch (IOException e) {
      throw new MalformedEventException("event is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The event decoded through a tree of the whole text: every type, every oddity; the reference for the fast path. */
  static StreamEvent decodeAsTree(String json) {
    try (JsonParser parser = Json.MAPPER.createParser(json)) {
      return decode(read(parser));
    } catch (IOException e) {
      throw new MalformedEventException("event is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The event as a tree, its {@code response} cut to {@link #RESPONSE_FIELDS}; null for empty input. */
  private static JsonNode read(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first != JsonToken.START_OBJECT) {
      return first == null ? null : parser.readValueAsTree();
    }
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (parser.nextToken() == JsonToken.START_OBJECT && name.equals("response")) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          if (RESPONSE_FIELDS.contains(field)) {
            response.set(field, parser.readValueAsTree());
          } else {
            parser.skipChildren();
          }
        }
        event.set(name, response);
      } else {
        event.set(name, parser.readValueAsTree());
      }
    }
    return event;
  }

  public static StreamEvent decode(JsonNode node) {
    if (node == null || !node.isObject() || !node.hasNonNull("type")) {
      throw new MalformedEventException("event is not a JSON object with a 'type'", null);
    }
    String type = node.get("type").asText();
    long seq = node.path("sequence_number").asLong(-1);
    String lane = ItemCodec.text(node, "stream_id");
    return switch (type) {
      case "response.created" -> new StreamEvent.Created(response(node.get("response")), seq, lane);
      case "response.in_progress" -> new StreamEvent.InProgress(response(node.get("response")), seq, lane);
      case "response.output_item.added" -> new StreamEvent.OutputItemAdded(node.path("output_index").asInt(),
          ItemCodec.read(node.path("item")), seq, lane);
      case "response.output_item.done" -> new StreamEvent.OutputItemDone(node.path("output_index").asInt(),
          ItemCodec.read(node.path("item")), seq, lane);
      case "response.output_text.delta" -> new StreamEvent.OutputTextDelta(ItemCodec.text(node, "item_id"),
          node.path("output_index").asInt(), node.path("content_index").asInt(), ItemCodec.text(node, "delta"), seq,
          lane);
      case "response.function_call_arguments.delta" -> new StreamEvent.FunctionCallArgumentsDelta(
          ItemCodec.text(node, "item_id"), node.path("output_index").asInt(), ItemCodec.text(node, "delta"), seq, lane);
      case "response.completed" -> new StreamEvent.Completed(response(node.get("response")), seq, lane);
      case "response.failed" -> new StreamEvent.Failed(response(node.get("response")), seq, lane);
      case "response.incomplete" -> new StreamEvent.Incomplete(response(node.get("response")), seq, lane);
      case "error" -> new StreamEvent.Error(error(node), seq, lane);
      default -> new StreamEvent.Other(type, (ObjectNode) node, seq, lane);
    };
  }

  /** Reads an HTTP error body; see {@link ErrorBodyReader#read}. Never null. */
  public static ApiError errorBody(int status, String body) {
    return ErrorBodyReader.read(status, body);
  }

  /** SSE sends {@code {type:"error", code, message, param}}; WebSocket nests them in {@code error} with a status. */
  private static ApiError error(JsonNode node) {
    JsonNode e = node.has("error") && node.get("error").isObject() ? node.get("error") : node;
    return new ApiError(node.path("status").asInt(0), e == node ? null : ItemCodec.text(e, "type"),
        ItemCodec.text(e, "code"), ItemCodec.text(e, "message"), ItemCodec.text(e, "param"));
  }

  private static ResponseInfo response(JsonNode r) {
    if (r == null || !r.isObject()) {
      return new ResponseInfo(null, null, List.of(), Usage.ZERO, null, null);
    }
    return new ResponseInfo(ItemCodec.text(r, "id"), ItemCodec.text(r, "status"), ItemCodec.readAll(r.get("output")),
        usage(r.get("usage")), responseError(r.get("error")), ItemCodec.text(r.path("incomplete_details"), "reason"));
  }

  /** A response's {@code error}; null when absent or null. */
  static ApiError responseError(JsonNode err) {
    return err == null || err.isNull()
        ? null
        : new ApiError(0, ItemCodec.text(err, "type"), ItemCodec.text(err, "code"), ItemCodec.text(err, "message"),
            ItemCodec.text(err, "param"));
  }

  static Usage usage(JsonNode u) {
    if (u == null || u.isNull()) {
      return Usage.ZERO;
    }
    return new Usage(u.path("input_tokens").asLong(), u.path("input_tokens_details").path("cached_tokens").asLong(),
        u.path("output_tokens").asLong(), u.path("output_tokens_details").path("reasoning_tokens").asLong(),
        u.path("total_tokens").asLong());
  }
}
