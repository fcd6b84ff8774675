package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.AsyncResponseConnection;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponsesClientEvent;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.EmulatorStats;
import dev.runner.emulator.RunningEmulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * openai-java 4.101.0, a real third-party client, against the emulator on port 0 (scenario {@code tools:1}: one shell
 * call, then a final answer): plain create, streamed create, and two chained turns over its WebSocket connection.
 */
class OpenAiJavaClientTest {
  private static final long TIMEOUT_S = Wire.TIMEOUT.toSeconds();
  private static final FunctionTool SHELL = FunctionTool.builder().name("shell").description("Runs a command line")
      .strict(false).parameters(FunctionTool.Parameters.builder()
          .putAdditionalProperty("type", JsonValue.from("object"))
          .putAdditionalProperty("properties", JsonValue.from(Map.of("command", Map.of("type", "string"))))
          .putAdditionalProperty("required", JsonValue.from(List.of("command"))).build())
      .build();

  private RunningEmulator emulator;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"));
    client = OpenAIOkHttpClient.builder().baseUrl(emulator.baseUrl()).apiKey("conformance").maxRetries(0)
        .timeout(Wire.TIMEOUT).build();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static ResponseFunctionToolCall onlyCall(Response r) {
    List<ResponseFunctionToolCall> calls = r.output().stream().filter(ResponseOutputItem::isFunctionCall)
        .map(ResponseOutputItem::asFunctionCall).toList();
    assertThat(calls).as("function calls in " + r).hasSize(1);
    assertThat(calls.getFirst().name()).isEqualTo("shell");
    assertThat(calls.getFirst().arguments()).contains("echo step 1");
    return calls.getFirst();
  }

  private static ResponseInputItem result(ResponseFunctionToolCall call) {
    return ResponseInputItem.ofFunctionCallOutput(
        ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("step 1").build());
  }

  private static String text(Response r) {
    StringBuilder sb = new StringBuilder();
    r.output().stream().filter(ResponseOutputItem::isMessage).flatMap(m -> m.asMessage().content().stream())
        .filter(c -> c.isOutputText()).forEach(c -> sb.append(c.asOutputText().text()));
    return sb.toString();
  }

  @Test
  void createTwoTurnsChainedByPreviousResponseId() {
    Response first = client.responses()
        .create(ResponseCreateParams.builder().model("mock-model").input("say hi").addTool(SHELL).build());
    assertThat(first.status()).contains(ResponseStatus.COMPLETED);
    ResponseFunctionToolCall call = onlyCall(first);
    Response second = client.responses().create(ResponseCreateParams.builder().model("mock-model")
        .previousResponseId(first.id()).inputOfResponse(List.of(result(call))).addTool(SHELL).build());
    assertThat(second.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(second)).contains("step 1");
    assertThat(emulator.stats().httpRequests()).isEqualTo(2);
  }

  @Test
  void createStreamingEndsWithCompletedAndMatchesTheFinalResponse() {
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses()
        .createStreaming(ResponseCreateParams.builder().model("mock-model").input("say hi").addTool(SHELL).build())) {
      events = stream.stream().toList();
    }
    assertThat(events.getFirst().isCreated()).isTrue();
    assertThat(events.getLast().isCompleted()).isTrue();
    assertThat(events).anyMatch(ResponseStreamEvent::isFunctionCallArgumentsDone)
        .anyMatch(ResponseStreamEvent::isOutputItemDone);
    onlyCall(events.getLast().asCompleted().response());
  }

  @Test
  void webSocketTwoTurnsSecondIncremental() throws Exception {
    AsyncResponseConnection connection = client.async().responses().connect().get(TIMEOUT_S, TimeUnit.SECONDS);
    try {
      connection.send(ResponsesClientEvent.ofResponseCreate(ResponsesClientEvent.ResponseCreate.builder()
          .model("mock-model").input("say hi over ws").addTool(SHELL).build()));
      Response first = connection.finalResponse().get(TIMEOUT_S, TimeUnit.SECONDS);
      ResponseFunctionToolCall call = onlyCall(first);
      connection.send(ResponsesClientEvent.ofResponseCreate(ResponsesClientEvent.ResponseCreate.builder()
          .model("mock-model").previousResponseId(first.id()).inputOfResponse(List.of(result(call))).addTool(SHELL)
          .build()));
      Response second = connection.finalResponse().get(TIMEOUT_S, TimeUnit.SECONDS);
      assertThat(second.status()).contains(ResponseStatus.COMPLETED);
      assertThat(text(second)).contains("step 1");
    } finally {
      connection.close();
    }
    EmulatorStats stats = emulator.stats();
    assertThat(stats.websocketHandshakes()).isEqualTo(1);
    assertThat(stats.websocketRequests()).isEqualTo(2);
    assertThat(stats.incrementalCreates()).isEqualTo(1);
    assertThat(stats.cacheHits()).isEqualTo(1);
    assertThat(stats.httpRequests()).isZero();
  }
}
