package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link ResponseRequest} as an HTTP body ({@code stream:true}) or as a WebSocket {@code response.create}
 * frame (no {@code stream}, no {@code background}), straight to UTF-8 bytes with no intermediate tree.
 *
 * <p>An instance belongs to one session (not thread-safe) and keeps the JSON of the trees a session sends unchanged
 * every turn (the tool list, the text format, ...) by identity: writing the tool list's tree was half of encoding a
 * turn's frame, and the bytes are the same each time. Trees handed to a request are never modified.
 */
public final class RequestEncoder {
  private static final int TOOLS = 0;
  private static final int TEXT = 1;
  private static final int CONTEXT_MANAGEMENT = 2;
  private static final int REASONING = 3;

  private final JsonNode[] trees = new JsonNode[4];
  private final SerializableString[] json = new SerializableString[4];

  public RequestEncoder() {}

  /** The body of {@code POST /responses} with {@code stream:true}. */
  public static byte[] httpBody(ResponseRequest request) {
    return new RequestEncoder().body(request);
  }

  /** The text of a {@code response.create} frame. */
  public static byte[] websocketFrame(ResponseRequest request) {
    return new RequestEncoder().frame(request);
  }

  /** As {@link #httpBody}, reusing this session's serialized trees. */
  public byte[] body(ResponseRequest request) {
    return encode(request, false);
  }

  /** As {@link #websocketFrame}, reusing this session's serialized trees. */
  public byte[] frame(ResponseRequest request) {
    return encode(request, true);
  }

  private byte[] encode(ResponseRequest r, boolean frame) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 256 * r.input().size());
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (frame) {
        g.writeStringField("type", "response.create");
      }
      g.writeStringField("model", r.model());
      if (r.instructions() != null) {
        g.writeStringField("instructions", r.instructions());
      }
      if (r.previousResponseId() != null) {
        g.writeStringField("previous_response_id", r.previousResponseId());
      }
      g.writeArrayFieldStart("input");
      for (Item item : r.input()) {
        ItemCodec.write(g, item);
      }
      g.writeEndArray();
      tree(g, "tools", TOOLS, r.tools());
      if (r.toolChoice() != null) {
        g.writeStringField("tool_choice", r.toolChoice());
      }
      if (r.parallelToolCalls() != null) {
        g.writeBooleanField("parallel_tool_calls", r.parallelToolCalls());
      }
      if (r.store() != null) {
        g.writeBooleanField("store", r.store());
      }
      if (!frame) {
        g.writeBooleanField("stream", true);
      }
      tree(g, "text", TEXT, r.text());
      tree(g, "context_management", CONTEXT_MANAGEMENT, r.contextManagement());
      if (r.promptCacheKey() != null) {
        g.writeStringField("prompt_cache_key", r.promptCacheKey());
      }
      tree(g, "reasoning", REASONING, r.reasoning());
      if (r.include() != null) {
        g.writeArrayFieldStart("include");
        for (String s : r.include()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      if (frame && r.generate() != null) {
        g.writeBooleanField("generate", r.generate());
      }
      if (frame && r.streamId() != null) {
        g.writeStringField("stream_id", r.streamId());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("request did not serialize", e);
    }
    return out.toByteArray();
  }

  private void tree(JsonGenerator g, String name, int slot, JsonNode value) throws IOException {
    if (value == null || value.isNull()) {
      return;
    }
    if (trees[slot] != value) {
      trees[slot] = value;
      json[slot] = new SerializedString(Json.MAPPER.writeValueAsString(value));
    }
    g.writeFieldName(name);
    g.writeRawValue(json[slot]);
  }
}
