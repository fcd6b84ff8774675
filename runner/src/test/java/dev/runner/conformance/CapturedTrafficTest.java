package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.conformance.Captures.Capture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything real clients (codex-cli, openai-node, openai-java, @openai/agents, the AI SDK) sent, held against the
 * spec: proof that the spec as we read it (oneOf as anyOf) accepts real traffic, so the same harness can judge the
 * emulator and our own client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapturedTrafficTest {
  private OpenApiSpec spec;
  private Captures captures;

  @BeforeAll
  void load() {
    spec = OpenApiSpec.get();
    captures = Captures.load();
  }

  Stream<Capture> httpRequests() {
    return Captures.load().httpRequests().stream();
  }

  Stream<Capture> clientFrames() {
    return Captures.load().clientFrames().stream();
  }

  @Test
  void capturesCoverEveryClient() {
    assertThat(captures.httpRequests()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(captures.clientFrames()).hasSizeGreaterThanOrEqualTo(9);
    assertThat(captures.all()).extracting(Capture::file).contains("codex-ws-frames.json",
        "openai-node-capture.json", "openai-java-capture.json", "openai-agents-capture.json", "aisdk-capture.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("httpRequests")
  void capturedHttpBodyIsAValidCreateResponse(Capture capture) {
    assertThat(spec.errors("CreateResponse", capture.payload())).as(capture.toString()).isEmpty();
    assertThat(ServiceRules.createResponse(capture.payload())).as(capture.toString()).isEmpty();
    assertThat(ServiceRules.functionTools(capture.payload())).as(capture.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientFrames")
  void capturedWebSocketFrameIsAValidClientEvent(Capture capture) {
    assertThat(spec.errors("ResponsesClientEvent", capture.payload())).as(capture.toString()).isEmpty();
    assertThat(capture.payload().path("type").asText()).isEqualTo("response.create");
    assertThat(ServiceRules.createResponse(capture.payload())).as(capture.toString()).isEmpty();
  }
}
