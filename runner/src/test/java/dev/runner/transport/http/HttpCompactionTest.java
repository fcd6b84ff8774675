package dev.runner.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.transport.Compacted;
import dev.runner.transport.RecordingListener;
import dev.runner.transport.Requests;
import dev.runner.transport.TestTime;
import dev.runner.transport.TransportSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** {@link HttpTransport#compact} against the emulator and against a scripted server that fails once. */
class HttpCompactionTest {
  private final TestTime time = new TestTime();

  private HttpTransport transport(String baseUrl) {
    TransportSettings settings = TransportSettings.builder("test", baseUrl).apiKey(() -> "k").build();
    return new HttpTransport(settings, new RecordingListener(), time, time, RandomGenerator.getDefault());
  }

  @Test
  void theEmulatorsWindowComesBackAsItems() {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        HttpTransport t = transport(emu.baseUrl())) {
      List<Item> conversation = List.of(Item.Message.user("count"), new Item.FunctionCall("fc_1", "call_1", "shell",
          "{\"command\":\"echo step 1\"}", "completed"), new Item.FunctionCallOutput("call_1", "step 1\n"));
      Compacted c = t.compact(Requests.request(conversation), Requests.soon()).orElseThrow();
      assertThat(c.id()).startsWith("resp_");
      assertThat(c.output()).hasSize(2);
      assertThat(c.output().get(0)).isInstanceOfSatisfying(Item.Message.class, m -> {
        assertThat(m.role()).isEqualTo("user");
        assertThat(m.text()).isEqualTo("count");
      });
      assertThat(c.output().get(1)).isInstanceOf(Item.Compaction.class);
      assertThat(c.usage().totalTokens()).isPositive();
      assertThat(emu.stats().compactRequests()).isEqualTo(1);
    }
  }

  @Test
  void aRejectedRequestIsATaskFailureNamingTheError() {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        HttpTransport t = transport(emu.baseUrl())) {
      List<Item> forged = List.of(new Item.Compaction("cmp_1", "Zm9yZ2Vk"));
      assertThatThrownBy(() -> t.compact(Requests.request(forged), Requests.soon()))
          .isInstanceOfSatisfying(RunnerException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.TASK_FAILED))
          .hasMessageContaining("invalid_encrypted_content").hasMessageContaining("/responses/compact");
    }
  }

  @Test
  void a503IsRetriedWithBackoff() {
    AtomicInteger calls = new AtomicInteger();
    String ok = "{\"id\":\"resp_c\",\"object\":\"response.compaction\",\"created_at\":1,\"output\":[{\"id\":\"cmp_1\","
        + "\"type\":\"compaction\",\"encrypted_content\":\"opaque\"}],\"usage\":{\"input_tokens\":5,"
        + "\"output_tokens\":2,\"total_tokens\":7}}";
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.post("/v1/responses/compact", (req, res) -> req.receive().then(Mono.defer(() -> {
          boolean first = calls.getAndIncrement() == 0;
          return Mono.from(res.status(first ? 503 : 200).header("content-type", "application/json")
              .sendString(Mono.just(first
                  ? "{\"error\":{\"message\":\"busy\",\"type\":\"server_error\","
                      + "\"code\":\"server_is_overloaded\",\"param\":null}}"
                  : ok)));
        })))).bindNow(Duration.ofSeconds(10));
    try (HttpTransport t = transport("http://127.0.0.1:" + server.port() + "/v1")) {
      Compacted c = t.compact(Requests.request(List.of(Item.Message.user("x"))), Requests.soon()).orElseThrow();
      assertThat(c.output()).containsExactly(new Item.Compaction("cmp_1", "opaque"));
      assertThat(c.usage().totalTokens()).isEqualTo(7);
      assertThat(calls.get()).isEqualTo(2);
      assertThat(time.sleeps).hasSize(1);
    } finally {
      server.disposeNow(Duration.ofSeconds(5));
    }
  }
}
