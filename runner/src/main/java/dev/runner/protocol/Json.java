package dev.runner.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson setup for wire JSON. Immutable once built and thread-safe, so it is shared. */
public final class Json {
  /** Wire documents larger than this are refused by the parser (an emulator fault sends oversized frames). */
  public static final int MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_DOCUMENT_BYTES).build())
      .build()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Json() {}
}
