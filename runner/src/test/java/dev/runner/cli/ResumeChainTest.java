package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.conformance.RecordingProxy;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import dev.runner.session.SavedSession;
import dev.runner.session.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code exec resume} and {@code exec fork} over both transports against an emulator this test starts, behind a proxy
 * that records every request as the runner sent it: a session whose last response was stored continues from it with
 * only the new input; a server that no longer has it gets one failing request and then the whole conversation, with
 * the same answer; a session that did not store resends in full at once.
 */
class ResumeChainTest {
  private static final String STORE = "store_responses=true";
  /** {@code tools:2}'s answer once the conversation holds its two tool outputs: it proves the server saw them. */
  private static final String ANSWER = "Ran 2 command(s). Last output:\nstep 2";

  @TempDir
  Path home;

  @TempDir
  Path workspace;

  private final List<AutoCloseable> servers = new ArrayList<>();
  private RunningEmulator emulator;
  private RecordingProxy proxy;
  private String transport;
  private boolean verbose = true;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable s : servers.reversed()) {
      s.close();
    }
  }

  /** A new emulator (nothing stored) behind a new proxy, and the config that points provider {@code local} at it. */
  private void freshServer() throws IOException {
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withScenario("tools:2"));
    servers.add(emulator);
    proxy = new RecordingProxy(emulator.baseUrl());
    servers.add(proxy);
    Files.createDirectories(home.resolve("runner"));
    Files.writeString(home.resolve("runner/config.toml"), """
        [model_providers.local]
        base_url = "%s"
        env_key = "LOCAL_EMULATOR_KEY"
        supports_websockets = true
        """.formatted(proxy.baseUrl()));
  }

  /** {@code runner exec ARGS} with the run's common options after them, as a CI script would write it. */
  private CliRun exec(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("LOCAL_EMULATOR_KEY", "local-key");
    env.remove("RUNNER_LOG");
    List<String> all = new ArrayList<>(List.of("exec"));
    all.addAll(List.of(args));
    all.addAll(List.of("--provider", "local", "--skip-git-repo-check", "-s", "danger-full-access", "--transport",
        transport));
    if (verbose) {
      all.add("-v");
    }
    proxy.sent.clear();
    return CliRun.of(CliRun.environment(env, workspace, home), all.toArray(String[]::new));
  }

  /** The creates the last run sent, warm-ups left out, in order. */
  private List<JsonNode> creates() {
    List<JsonNode> creates = new ArrayList<>();
    for (RecordingProxy.Sent s : proxy.sent) {
      boolean create = transport.equals("websocket")
          ? s.path().equals("ws") && s.json().path("type").asText().equals("response.create")
          : s.path().endsWith("/responses");
      if (create && s.json().path("generate").asBoolean(true)) {
        creates.add(s.json());
      }
    }
    return creates;
  }

  private static List<String> texts(JsonNode request) {
    List<String> texts = new ArrayList<>();
    request.path("input").forEach(i -> {
      StringBuilder sb = new StringBuilder();
      i.path("content").forEach(c -> sb.append(c.path("text").asText("")));
      texts.add(i.path("type").asText() + ":" + sb);
    });
    return texts;
  }

  private List<Path> sessionFiles() throws IOException {
    try (Stream<Path> s = Files.walk(home.resolve("runner/sessions"))) {
      return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  private SavedSession only() throws IOException {
    List<Path> files = sessionFiles();
    assertThat(files).hasSize(1);
    return new SessionStore(home.resolve("runner/sessions")).read(files.getFirst());
  }

  /** As codex sends its conversation id: every turn of a session, resumed ones too, names the same prompt cache. */
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void everyRequestCarriesTheSessionIdAsItsPromptCacheKey(String wire) throws Exception {
    transport = wire;
    freshServer();
    CliRun first = exec("first task");
    assertThat(first.exit()).as(first.err()).isZero();
    String id = only().id();
    List<JsonNode> sent = creates();
    assertThat(sent).hasSize(3); // tools:2: two tool turns and the answer
    assertThat(sent).allSatisfy(r -> assertThat(r.path("prompt_cache_key").asText()).isEqualTo(id));
    CliRun resumed = exec("resume", "--last", "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(creates()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.path("prompt_cache_key").asText()).isEqualTo(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void aStoredSessionResumesFromItsLastResponseAndResendsInFullWhenTheServerLostIt(String wire) throws Exception {
    transport = wire;
    freshServer();
    CliRun first = exec("-c", STORE, "first task");
    assertThat(first.exit()).as(first.err()).isZero();
    List<JsonNode> firstCreates = creates();
    assertThat(firstCreates).hasSize(3); // two tool calls, then the answer
    assertThat(firstCreates).allSatisfy(c -> assertThat(c.path("store").asBoolean()).isTrue());
    SavedSession saved = only();
    SavedSession.LastResponse last = saved.lastResponse();
    assertThat(last).isNotNull();
    assertThat(last.stored()).isTrue();
    assertThat(last.transport()).isEqualTo(wire);
    assertThat(last.provider()).isEqualTo("local");
    assertThat(last.items()).isEqualTo(saved.items().size());
    byte[] savedBytes = Files.readAllBytes(saved.file());
    String lastFullInput = Json.MAPPER.writeValueAsString(firstCreates.getLast().path("input"));

    // (1) the server still has it: one create, chained, carrying only the new message
    long missesBefore = emulator.stats().cacheMisses();
    CliRun resumed = exec("resume", "--last", "-c", STORE, "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out().strip()).isEqualTo(ANSWER);
    List<JsonNode> chained = creates();
    assertThat(chained).hasSize(1);
    assertThat(chained.getFirst().path("previous_response_id").asText()).isEqualTo(last.id());
    assertThat(texts(chained.getFirst())).containsExactly("message:second task");
    String chainedInput = Json.MAPPER.writeValueAsString(chained.getFirst().path("input"));
    assertThat(chainedInput.length()).isLessThan(lastFullInput.length());
    assertThat(resumed.err()).contains("continuing from stored response " + last.id())
        .doesNotContain("previous_response_not_found");
    // a new connection: the parent came from the server's store, not a socket's cache
    assertThat(emulator.stats().cacheMisses()).isEqualTo(missesBefore + 1);
    SavedSession after = only();
    assertThat(after.lastResponse().id()).isNotEqualTo(last.id());
    assertThat(after.lastResponse().items()).isEqualTo(after.items().size());

    // (2) the same saved session against a new server, which never had the response: one refusal, then in full
    Files.write(saved.file(), savedBytes);
    freshServer();
    CliRun again = exec("resume", "--last", "-c", STORE, "second task");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo(resumed.out());
    List<JsonNode> retried = creates();
    assertThat(retried).hasSize(2);
    assertThat(retried.get(0).path("previous_response_id").asText()).isEqualTo(last.id());
    assertThat(retried.get(1).has("previous_response_id")).isFalse();
    assertThat(texts(retried.get(1))).hasSize(saved.items().size() + 1).endsWith("message:second task");
    // one -v line says what happened; the refused request's raw body is not another
    assertThat(again.err().lines().filter(l -> l.contains("previous_response_not_found"))).hasSize(1);
    assertThat(again.err()).contains("is gone from the server (previous_response_not_found)")
        .doesNotContain("error:").doesNotContain("warning");
    assertThat(emulator.stats().fullCreates()).isEqualTo(1);
    assertThat(emulator.stats().incrementalCreates()).isEqualTo(1);

    // at the default level the user sees the answer and the summary, nothing of the refused parent
    Files.write(saved.file(), savedBytes);
    freshServer();
    verbose = false;
    CliRun quiet = exec("resume", "--last", "-c", STORE, "second task");
    assertThat(quiet.exit()).as(quiet.err()).isZero();
    assertThat(quiet.out()).isEqualTo(resumed.out());
    assertThat(creates()).hasSize(2);
    assertThat(quiet.err()).doesNotContain("previous_response").doesNotContain("gone").doesNotContain(last.id());
    again.err().lines().filter(l -> l.contains("gone") || l.contains("resume:")).forEach(System.out::println);
    System.out.printf("resume over %s: chained input %d chars, the full input it replaced %d chars (first run's"
        + " last request %d chars)%n", wire, chainedInput.length(),
        Json.MAPPER.writeValueAsString(retried.get(1).path("input")).length(), lastFullInput.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void aSessionThatDidNotStoreResendsInFullWithNoFailingRequest(String wire) throws Exception {
    transport = wire;
    freshServer();
    CliRun first = exec("first task");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(creates()).allSatisfy(c -> assertThat(c.path("store").asBoolean(true)).isFalse());
    SavedSession saved = only();
    assertThat(saved.lastResponse()).isNotNull();
    assertThat(saved.lastResponse().stored()).isFalse();

    // storing now does not help: the saved response was never kept
    long incrementalBefore = emulator.stats().incrementalCreates();
    CliRun resumed = exec("resume", "--last", "-c", STORE, "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out().strip()).isEqualTo(ANSWER);
    List<JsonNode> creates = creates();
    assertThat(creates).hasSize(1);
    assertThat(creates.getFirst().has("previous_response_id")).isFalse();
    assertThat(texts(creates.getFirst())).hasSize(saved.items().size() + 1);
    assertThat(resumed.err()).contains("resending the saved conversation in full: its last response")
        .doesNotContain("previous_response_not_found");
    assertThat(emulator.stats().incrementalCreates()).isEqualTo(incrementalBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void aForkChainsFromTheOriginalsResponseAndLeavesTheOriginalAsItWas(String wire) throws Exception {
    transport = wire;
    freshServer();
    assertThat(exec("-c", STORE, "first task").exit()).isZero();
    SavedSession original = only();
    byte[] originalBytes = Files.readAllBytes(original.file());

    CliRun fork = exec("fork", original.id(), "-c", STORE, "fork task");
    assertThat(fork.exit()).as(fork.err()).isZero();
    List<JsonNode> forkCreates = creates();
    assertThat(forkCreates).hasSize(1);
    assertThat(forkCreates.getFirst().path("previous_response_id").asText())
        .isEqualTo(original.lastResponse().id());
    assertThat(texts(forkCreates.getFirst())).containsExactly("message:fork task");
    assertThat(Files.readAllBytes(original.file())).isEqualTo(originalBytes);
    List<Path> files = sessionFiles();
    assertThat(files).hasSize(2);
    SessionStore store = new SessionStore(home.resolve("runner/sessions"));
    SavedSession forked = files.stream().map(store::read).filter(s -> !s.id().equals(original.id())).findFirst()
        .orElseThrow();
    assertThat(Files.readString(forked.file())).contains("\"forked_from\":\"" + original.id() + "\"");
    assertThat(forked.lastResponse().id()).isNotEqualTo(original.lastResponse().id());

    // the original still continues from its own last response, not the fork's
    CliRun resumed = exec("resume", original.id(), "-c", STORE, "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    List<JsonNode> creates = creates();
    assertThat(creates).hasSize(1);
    assertThat(creates.getFirst().path("previous_response_id").asText()).isEqualTo(original.lastResponse().id());
    assertThat(texts(creates.getFirst())).containsExactly("message:second task");
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void aSessionFileWrittenBeforeResponsesWereRecordedStillResumes(String wire) throws Exception {
    transport = wire;
    freshServer();
    // as the runner wrote sessions before it recorded the last response: turn_context has only cwd and model
    String id = "0b7c1d2e-0000-4000-8000-00000000c0de";
    Path file = home.resolve("runner/sessions/2026/12/01/rollout-2026-12-01T10-00-00-" + id + ".jsonl");
    Files.createDirectories(file.getParent());
    String cwd = workspace.toAbsolutePath().normalize().toString();
    Files.writeString(file, String.join("\n",
        "{\"timestamp\":\"2026-12-01T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" + id
            + "\",\"timestamp\":\"2026-12-01T10:00:00Z\",\"cwd\":" + Json.MAPPER.writeValueAsString(cwd)
            + ",\"originator\":\"runner\",\"cli_version\":\"0.9\",\"source\":\"exec\",\"model_provider\":\"local\"}}",
        "{\"timestamp\":\"2026-12-01T10:00:01Z\",\"type\":\"turn_context\",\"payload\":{\"cwd\":"
            + Json.MAPPER.writeValueAsString(cwd) + ",\"model\":\"gpt-5.1-codex\"}}",
        "{\"timestamp\":\"2026-12-01T10:00:01Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\","
            + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"first task\"}]}}",
        "{\"timestamp\":\"2026-12-01T10:00:01Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"first answer\","
            + "\"annotations\":[],\"logprobs\":[]}]}}",
        ""));
    CliRun resumed = exec("resume", "--last", "-c", STORE, "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    List<JsonNode> creates = creates();
    assertThat(creates).isNotEmpty();
    assertThat(creates.getFirst().has("previous_response_id")).isFalse();
    assertThat(texts(creates.getFirst())).containsExactly("message:first task", "message:first answer",
        "message:second task");
    assertThat(resumed.err()).contains("records no response to continue from");
    // from now on the file records its last response, and the next resume chains from it
    SavedSession upgraded = new SessionStore(home.resolve("runner/sessions")).read(file);
    assertThat(upgraded.lastResponse()).isNotNull();
    CliRun next = exec("resume", id.substring(0, 8), "-c", STORE, "third task");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(creates().getFirst().path("previous_response_id").asText()).isEqualTo(upgraded.lastResponse().id());
  }
}
