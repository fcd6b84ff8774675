package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a {@link ResponseRequest} as an HTTP body ({@code stream:true}) or as a WebSocket {@code response.create}
 * frame (no {@code stream}, no {@code background}), straight to UTF-8 bytes with no intermediate tree.
 */
public final class RequestEncoder {
  private RequestEncoder() {}

  /** The body of {@code POST /responses} with {@code stream:true}. */
  public static byte[] httpBody(ResponseRequest request) {
    return encode(request, false);
  }

  /** The text of a {@code response.create} frame. */
  public static byte[] websocketFrame(ResponseRequest request) {
    return encode(request, true);
  }

  private static byte[] encode(ResponseRequest r, boolean frame) {
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
      tree(g, "tools", r.tools());
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
      tree(g, "text", r.text());
      tree(g, "context_management", r.contextManagement());
      if (r.promptCacheKey() != null) {
        g.writeStringField("prompt_cache_key", r.promptCacheKey());
      }
      tree(g, "reasoning", r.reasoning());
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

  private static void tree(JsonGenerator g, String name, JsonNode value) throws IOException {
    if (value != null && !value.isNull()) {
      g.writeFieldName(name);
      g.writeTree(value);
    }
  }
}
