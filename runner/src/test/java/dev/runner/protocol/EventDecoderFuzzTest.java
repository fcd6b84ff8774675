package dev.runner.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the event decoder (SSE data and WebSocket frames both go through it). Properties: only
 * {@link MalformedEventException} escapes; the string and byte entry points agree; where the fast streaming reader
 * answers, it answers what the tree decoder does.
 */
class EventDecoderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodersAgree(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    StreamEvent fromText = decodeOrNull(text);
    StreamEvent fromBytes = decodeOrNull(utf8);
    assertThat(fromBytes).isEqualTo(fromText);
    if (fromText == null) {
      return;
    }
    StreamEvent streamed;
    try (JsonParser p = Json.MAPPER.createParser(utf8)) {
      streamed = StreamingEventReader.read(p);
    } catch (IOException e) {
      return; // the tree path read it; the streaming one gives up on what it does not know
    }
    if (streamed != null) {
      JsonNode tree;
      try {
        tree = Json.MAPPER.readTree(utf8);
      } catch (IOException e) {
        return; // trailing garbage after the object: streaming stops at the object, a tree read refuses it
      }
      assertThat(streamed).isEqualTo(EventDecoder.decode(tree));
    }
  }

  private static StreamEvent decodeOrNull(String text) {
    try {
      return EventDecoder.decode(text);
    } catch (MalformedEventException e) {
      return null;
    }
  }

  private static StreamEvent decodeOrNull(byte[] bytes) {
    try {
      return EventDecoder.decode(bytes);
    } catch (MalformedEventException e) {
      return null;
    }
  }
}
