package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Item;
import dev.runner.protocol.RequestEncoder;
import dev.runner.protocol.ResponseRequest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What our own client puts on the wire, held against the spec and the service's extra rules. */
class RequestEncoderConformanceTest {
  private static OpenApiSpec spec;

  @BeforeAll
  static void load() {
    spec = OpenApiSpec.get();
  }

  private static JsonNode json(String text) {
    try {
      return Captures.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(text, e);
    }
  }

  /** A tool turn's follow-up: user message, the model's call, our result, plus every optional field we send. */
  static ResponseRequest toolFollowUp() {
    JsonNode tools = json("[{\"type\":\"function\",\"name\":\"shell\",\"description\":\"Runs a command\","
        + "\"strict\":false,\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}},"
        + "\"required\":[\"command\"]}},{\"type\":\"function\",\"name\":\"noop\",\"description\":\"Does nothing\","
        + "\"strict\":true,\"parameters\":null}]");
    JsonNode text = json("{\"format\":{\"type\":\"json_schema\",\"name\":\"answer\",\"strict\":true,\"schema\":"
        + "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"}},\"required\":[\"summary\"],"
        + "\"additionalProperties\":false}}}");
    List<Item> input = List.of(Item.Message.developer("be brief"), Item.Message.user("list the files"),
        new Item.Reasoning("rs_1", List.of("thinking"), "opaque=="),
        new Item.FunctionCall("fc_1", "call_1", "shell", "{\"command\":\"ls\"}", "completed"),
        new Item.FunctionCallOutput("call_1", "a.txt\nb.txt"),
        new Item.CustomToolCall("ctc_1", "call_2", "apply_patch", "*** Begin Patch\n*** End Patch"),
        new Item.CustomToolCallOutput("call_2", "ok"));
    return new ResponseRequest("gpt-test", "You are a CI agent.", input, tools, "auto", false, false, null, text,
        json("[{\"type\":\"compaction\",\"compact_threshold\":20000}]"), "key-1",
        json("{\"effort\":\"medium\",\"summary\":\"auto\"}"), List.of("reasoning.encrypted_content"), null, null);
  }

  private static void assertValidCreate(JsonNode body) {
    assertThat(spec.errors("CreateResponse", body)).as(body.toString()).isEmpty();
    assertThat(ServiceRules.createResponse(body)).isEmpty();
    assertThat(ServiceRules.functionTools(body)).isEmpty();
  }

  @Test
  void httpBodyIsAValidCreateResponse() throws IOException {
    JsonNode body = Captures.JSON.readTree(RequestEncoder.httpBody(toolFollowUp()));
    assertValidCreate(body);
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("input")).hasSize(7);
  }

  @Test
  void websocketFrameIsAValidClientEvent() throws IOException {
    JsonNode frame = Captures.JSON.readTree(RequestEncoder.websocketFrame(toolFollowUp()));
    assertThat(spec.errors("ResponsesClientEvent", frame)).as(frame.toString()).isEmpty();
    assertThat(ServiceRules.createResponse(frame)).isEmpty();
    assertThat(frame.has("stream")).as("stream is implicit over WebSocket").isFalse();
  }

  @Test
  void incrementalWarmUpAndLaneFramesAreValidClientEvents() throws IOException {
    ResponseRequest base = toolFollowUp();
    ResponseRequest warmUp = new ResponseRequest(base.model(), base.instructions(), List.of(), base.tools(), "auto",
        false, false, null, null, null, "key-1", null, null, false, null);
    ResponseRequest next = base.incremental("resp_1", List.of(new Item.FunctionCallOutput("call_9", "done")))
        .withStreamId("lane-1.a");
    for (ResponseRequest r : List.of(warmUp, next)) {
      JsonNode frame = Captures.JSON.readTree(RequestEncoder.websocketFrame(r));
      assertThat(spec.errors("ResponsesClientEvent", frame)).as(frame.toString()).isEmpty();
      assertThat(ServiceRules.createResponse(frame)).isEmpty();
    }
  }

  @Test
  void aReplayedAssistantMessageCarriesEveryRequiredPartField() throws IOException {
    // read as the model sent it, then replayed: output_text needs annotations and logprobs, refusal its own key
    Item said = dev.runner.protocol.ItemCodec.read(json("{\"type\":\"message\",\"id\":\"msg_1\",\"role\":"
        + "\"assistant\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"Looking.\","
        + "\"annotations\":[],\"logprobs\":[]},{\"type\":\"refusal\",\"refusal\":\"not that\"}]}"));
    ResponseRequest r = new ResponseRequest("gpt-test", null, List.of(Item.Message.user("hi"), said), null, "auto",
        false, false, null, null, null, null, null, null, null, null);
    JsonNode body = Captures.JSON.readTree(RequestEncoder.httpBody(r));
    assertValidCreate(body);
    assertThat(body.at("/input/1/content/0/logprobs").isArray()).isTrue();
    assertThat(body.at("/input/1/content/1/refusal").asText()).isEqualTo("not that");
  }

  @Test
  void aBadLaneNameIsCaughtByTheSpec() throws IOException {
    ResponseRequest bad = toolFollowUp().withStreamId("has space");
    JsonNode frame = Captures.JSON.readTree(RequestEncoder.websocketFrame(bad));
    assertThat(spec.errors("ResponsesClientEvent", frame)).isNotEmpty();
  }

  @Test
  void aSessionEncoderReusesItsTreesWhileTheyStayTheSameAndFollowsNewOnes() throws IOException {
    RequestEncoder session = new RequestEncoder();
    ResponseRequest first = toolFollowUp();
    ResponseRequest next = first.incremental("resp_1", List.of(new Item.FunctionCallOutput("call_3", "done")));
    assertThat(session.frame(first)).isEqualTo(RequestEncoder.websocketFrame(first));
    assertThat(session.frame(next)).isEqualTo(RequestEncoder.websocketFrame(next));
    assertThat(session.body(next)).isEqualTo(RequestEncoder.httpBody(next));

    JsonNode otherTools = json("[{\"type\":\"function\",\"name\":\"other\",\"description\":\"d\","
        + "\"strict\":false,\"parameters\":{\"type\":\"object\",\"properties\":{}}}]");
    ResponseRequest changed = new ResponseRequest(next.model(), next.instructions(), next.input(), otherTools,
        next.toolChoice(), next.parallelToolCalls(), next.store(), next.previousResponseId(), null,
        next.contextManagement(), next.promptCacheKey(), next.reasoning(), next.include(), null, null);
    JsonNode frame = Captures.JSON.readTree(session.frame(changed));
    assertThat(frame.get("tools")).isEqualTo(otherTools);
    assertThat(frame.has("text")).isFalse();
    assertThat(spec.errors("ResponsesClientEvent", frame)).as(frame.toString()).isEmpty();
  }
}
