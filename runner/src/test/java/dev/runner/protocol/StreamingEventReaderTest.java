package dev.runner.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The streaming path decodes exactly what the tree path does, and hands over whatever it does not read itself. */
class StreamingEventReaderTest {
  static final List<String> EVENTS = List.of(
      // as the emulator and OpenAI send them: type first
      """
          {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1,
           "status":"in_progress","instructions":"be brief","output":[],"tools":[{"type":"function","name":"shell",
           "parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}}}}],
           "usage":null,"error":null,"incomplete_details":null,"metadata":{}}}""",
      """
          {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","status":"in_progress"}}""",
      """
          {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"type":"function_call",
           "id":"fc_1","call_id":"call_1","name":"shell","arguments":"","status":"in_progress"}}""",
      """
          {"type":"response.function_call_arguments.delta","sequence_number":3,"item_id":"fc_1","output_index":0,
           "delta":"{\\"command\\":[\\"echo\\",\\"\\u00e9\\"]}","obfuscation":"abc"}""",
      """
          {"type":"response.output_item.done","sequence_number":5,"output_index":1,"item":{"type":"message","id":"m",
           "role":"assistant","status":"completed","content":[{"type":"output_text","text":"{}","annotations":[]}]}}""",
      """
          {"type":"response.output_text.delta","sequence_number":6,"item_id":"m","output_index":1,"content_index":2,
           "delta":"hi","logprobs":[]}""",
      """
          {"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","output":[
           {"type":"function_call","id":"fc_1","call_id":"call_1","name":"shell","arguments":"{}","status":"completed"},
           {"type":"reasoning","id":"rs","summary":[]}],"usage":{"input_tokens":10,"input_tokens_details":
           {"cached_tokens":4},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":13}}}""",
      """
          {"type":"response.failed","response":{"id":"r","status":"failed","error":{"type":"server_error",
           "code":"server_error","message":"boom","param":null}}}""",
      """
          {"type":"response.incomplete","response":{"id":"r","status":"incomplete",
           "incomplete_details":{"reason":"max_output_tokens"}}}""",
      // a lane, nulls, and fields in another order
      """
          {"stream_id":"s2","delta":null,"item_id":null,"output_index":3,"type":"response.output_text.delta"}""",
      """
          {"response":{"status":"completed","id":"r9"},"sequence_number":4,"type":"response.completed","stream_id":null}""",
      """
          {"type":"response.created","response":{"id":null,"status":null,"output":null,"usage":null,"error":null}}""",
      // handed to the tree path: other types, odd field types, missing parts
      """
          {"type":"response.function_call_arguments.done","sequence_number":4,"item_id":"fc_1","arguments":"{}"}""",
      """
          {"type":"error","status":429,"error":{"type":"rate_limit_error","code":"rate_limit_exceeded",
           "message":"slow down"},"headers":{"retry-after":"1"}}""",
      """
          {"type":"error","code":"server_error","message":"boom","param":null,"sequence_number":2}""",
      """
          {"type":"response.output_text.delta","sequence_number":"7","output_index":"1","delta":5}""",
      """
          {"type":"response.output_text.delta","sequence_number":7.5,"content_index":99999999999}""",
      """
          {"type":"response.output_item.added","output_index":0}""",
      """
          {"type":"response.output_item.done","item":"not an object"}""",
      """
          {"type":"response.created","response":"gone"}""",
      """
          {"type":"response.completed","response":{"id":7,"status":"completed"}}""",
      """
          {"type":"response.in_progress"}""",
      """
          {"sequence_number":1,"type":5}""",
      """
          {"delta":"x","type":"response.output_text.delta","sequence_number":18446744073709551616}""");

  static final List<String> MALFORMED = List.of("", "[]", "\"text\"", "{\"type\":\"response.created\"", "{oops}",
      "{\"sequence_number\":1}", "null");

  @ParameterizedTest
  @FieldSource("EVENTS")
  void decodesAsTheTreeDoes(String json) {
    StreamEvent expected = EventDecoder.decodeAsTree(json);

    assertThat(EventDecoder.decode(json)).isEqualTo(expected);
    assertThat(EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @ParameterizedTest
  @FieldSource("MALFORMED")
  void malformedEventsFailAsBefore(String json) {
    assertThatThrownBy(() -> EventDecoder.decodeAsTree(json)).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventDecoder.decode(json)).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventDecoder.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void theCommonEventsAreReadWithoutTheTreePath() throws IOException {
    // null would mean the tree path decided: only the first dozen events above are the streaming path's own
    for (String json : EVENTS.subList(0, 12)) {
      try (JsonParser p = Json.MAPPER.createParser(json)) {
        assertThat(StreamingEventReader.read(p)).as(json).isNotNull();
      }
    }
    for (String json : EVENTS.subList(12, EVENTS.size())) {
      try (JsonParser p = Json.MAPPER.createParser(json)) {
        assertThat(StreamingEventReader.read(p)).as(json).isNull();
      } catch (IOException e) {
        // a number out of range: the tree path decides too
      }
    }
  }
}
