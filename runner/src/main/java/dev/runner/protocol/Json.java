package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/** The one Jackson setup for wire JSON. Immutable once built and thread-safe, so it is shared. */
public final class Json {
  /** Wire documents larger than this are refused by the parser (an emulator fault sends oversized frames). */
  public static final int MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_DOCUMENT_BYTES).build())
      .build()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /**
   * A tree as compact UTF-8 JSON, written once: {@code JsonNode.toString()} goes through a mapper of Jackson's own and
   * a String that the caller then encodes again.
   */
  public static byte[] utf8(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("a JSON tree could not be written", e); // trees always can: only I/O fails
    }
  }

  private Json() {}
}
