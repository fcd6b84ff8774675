package dev.runner.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  /** A completed event as servers send it: the request's instructions, tools and text format echoed around it. */
  private static final String COMPLETED = """
      {"type":"response.completed","sequence_number":7,"response":{
        "id":"resp_1","object":"response","instructions":"be brief","status":"completed",
        "tools":[{"type":"function","name":"shell","parameters":{"type":"object","properties":{"cmd":{"type":"array"}}}}],
        "output":[{"type":"function_call","id":"fc_1","call_id":"call_1","name":"shell",
          "arguments":"{\\"cmd\\":[\\"ls\\"]}","status":"completed"}],
        "text":{"format":{"type":"json_schema","schema":{"type":"object"}}},
        "usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":60},"output_tokens":5,
          "output_tokens_details":{"reasoning_tokens":2},"total_tokens":105},
        "error":null,"incomplete_details":null,"metadata":{"k":"v"}}}
      """;

  @Test
  void aCompletedResponseKeepsWhatTheLoopReadsAndSkipsTheEchoedRequest() {
    StreamEvent event = EventDecoder.decode(COMPLETED);

    assertThat(event).isInstanceOf(StreamEvent.Completed.class);
    StreamEvent.Completed completed = (StreamEvent.Completed) event;
    assertThat(completed.sequenceNumber()).isEqualTo(7);
    ResponseInfo r = completed.response();
    assertThat(r.id()).isEqualTo("resp_1");
    assertThat(r.status()).isEqualTo("completed");
    assertThat(r.output()).containsExactly(
        new Item.FunctionCall("fc_1", "call_1", "shell", "{\"cmd\":[\"ls\"]}", "completed"));
    assertThat(r.usage()).isEqualTo(new Usage(100, 60, 5, 2, 105));
    assertThat(r.error()).isNull();
    assertThat(r.incompleteReason()).isNull();
  }

  @Test
  void bytesAndTextDecodeAlike() {
    assertThat(EventDecoder.decode(COMPLETED.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(EventDecoder.decode(COMPLETED));
  }

  @Test
  void failedAndIncompleteResponsesKeepTheirReasons() {
    StreamEvent failed = EventDecoder.decode("""
        {"type":"response.failed","response":{"id":"r","status":"failed","tools":[],
         "error":{"type":"server_error","code":"x","message":"boom"}}}""");
    StreamEvent incomplete = EventDecoder.decode("""
        {"response":{"incomplete_details":{"reason":"max_output_tokens"},"instructions":"i","id":"r2"},
         "type":"response.incomplete"}""");

    assertThat(((StreamEvent.Failed) failed).response().error().message()).isEqualTo("boom");
    assertThat(((StreamEvent.Incomplete) incomplete).response().incompleteReason()).isEqualTo("max_output_tokens");
    assertThat(((StreamEvent.Incomplete) incomplete).response().id()).isEqualTo("r2");
  }

  @Test
  void unknownEventsKeepEveryField() {
    StreamEvent event = EventDecoder.decode("""
        {"type":"response.reasoning_summary_text.delta","delta":"hm","extra":{"a":[1,2]},"stream_id":"s"}""");

    assertThat(event).isInstanceOf(StreamEvent.Other.class);
    StreamEvent.Other other = (StreamEvent.Other) event;
    assertThat(other.json().path("extra").path("a").get(1).asInt()).isEqualTo(2);
    assertThat(other.streamId()).isEqualTo("s");
  }

  @Test
  void aNullResponseIsAnEmptyOne() {
    StreamEvent event = EventDecoder.decode("{\"type\":\"response.created\",\"response\":null}");

    assertThat(((StreamEvent.Created) event).response().output()).isEmpty();
  }

  @Test
  void textThatIsNotAnEventObjectIsRefusedWithTheReason() {
    assertThatThrownBy(() -> EventDecoder.decode("[1,2]")).isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("'type'");
    assertThatThrownBy(() -> EventDecoder.decode("{\"delta\":\"x\"}")).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventDecoder.decode("")).isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> EventDecoder.decode("{\"type\":\"response.created\",\"response\":{\"id\":"))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("not valid JSON");
  }
}
