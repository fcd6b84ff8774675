package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import dev.runner.tools.RefusingBwrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code runner exec} in-process against the embedded emulator, over real loopback sockets. */
class ExecCommandTest {
  static final String SENTINEL = "sk-sentinel-7f3a9c1e5b2d4f60";

  @TempDir
  Path home;

  @TempDir
  Path workspace;

  Path schema;

  @BeforeEach
  void setUp() throws Exception {
    schema = Path.of(System.getProperty("runner.projectDir"), "schemas", "examples", "repo-summary.json");
    Files.writeString(workspace.resolve("README.md"), "hello\n");
  }

  CliRun exec(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("OPENAI_API_KEY", SENTINEL);
    env.remove("RUNNER_LOG");
    List<String> all = new ArrayList<>(List.of("exec", "--provider", "emulator", "--skip-git-repo-check", "-s",
        "danger-full-access"));
    all.addAll(List.of(args));
    CliRun run = CliRun.of(CliRun.environment(env, workspace, home), all.toArray(String[]::new));
    assertThat(run.out() + run.err()).doesNotContain(SENTINEL);
    return run;
  }

  JsonNode metrics(Path file) throws Exception {
    String text = Files.readString(file);
    assertThat(text).doesNotContain(SENTINEL);
    return Json.MAPPER.readTree(text);
  }

  @Test
  void bothTransportsPrintTheSameValidatedJson() throws Exception {
    CliRun ws = exec("--transport", "websocket", "--output-schema", schema.toString(), "-c",
        "emulator.scenario=tools:3",
        "Summarize");
    CliRun http = exec("--transport", "http", "--output-schema", schema.toString(), "-c", "emulator.scenario=tools:3",
        "Summarize");
    assertThat(ws.exit()).as(ws.err()).isZero();
    assertThat(http.exit()).as(http.err()).isZero();
    JsonNode answer = Json.MAPPER.readTree(ws.out());
    assertThat(answer.has("summary")).isTrue();
    assertThat(ws.out()).isEqualTo(http.out());
    assertThat(ws.err()).contains("via websocket").contains("3 tool calls");
    assertThat(http.err()).contains("via http");
  }

  @Test
  void fortyToolsOverOneWebSocketWithIncrementalTurns() throws Exception {
    Path file = home.resolve("m.json");
    CliRun run = exec("--transport", "websocket", "--output-schema", schema.toString(), "-c",
        "emulator.scenario=tools:40",
        "--metrics", file.toString(), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode m = metrics(file);
    assertThat(m.at("/tools/calls").asInt()).isEqualTo(40);
    assertThat(m.at("/transport/handshakes").asInt()).isEqualTo(1);
    assertThat(m.at("/transport/full_requests").asInt()).isEqualTo(1);
    assertThat(m.at("/transport/incremental_requests").asInt()).isEqualTo(40);
    assertThat(m.at("/session/turns").asInt()).isEqualTo(41);
    assertThat(m.at("/turns")).hasSize(41);
  }

  @Test
  void overHttpEveryTurnSendsTheWholeConversationOnOnePooledConnection() throws Exception {
    Path file = home.resolve("m.json");
    CliRun run = exec("--transport", "http", "-c", "emulator.scenario=tools:5", "--metrics", file.toString(), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode m = metrics(file);
    assertThat(m.at("/transport/full_requests").asInt()).isEqualTo(6);
    assertThat(m.at("/transport/incremental_requests").asInt()).isZero();
    assertThat(m.at("/transport/handshakes").asInt()).isEqualTo(1);
  }

  @Test
  void aSchemaViolationGetsOneRepairTurnThenExit3WithTheTextInDashO() throws Exception {
    Path scenario = home.resolve("bad.json");
    Files.writeString(scenario, "{\"turns\":[{\"text\":\"this is not json\"}]}");
    Path last = home.resolve("last.txt");
    CliRun run = exec("--output-schema", schema.toString(), "-c", "emulator.scenario=" + scenario, "-o",
        last.toString(),
        "go");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("repair").contains("--output-schema");
    assertThat(Files.readString(last)).isEqualTo("this is not json");
  }

  @Test
  void aProcessACommandLeftBehindIsGoneWhenExecReturns() throws Exception {
    // found by the duration it sleeps: the pid a command sees is that of the command host's PID namespace
    String marker = "317." + ProcessHandle.current().pid() + System.nanoTime() % 100_000;
    Path scenario = home.resolve("leftover.json");
    Files.writeString(scenario, """
        {"turns": [{"shell": "sleep %s >/dev/null 2>&1 & echo started"}, {"text": "done"}]}
        """.formatted(marker));
    CliRun run = exec("-c", "emulator.scenario=" + scenario, "go");
    assertThat(run.exit()).as(run.err()).isZero();
    // killed before exec returned; reaping by init may lag a moment, so the check is bounded, not instant
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!sleeping(marker).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sleeping(marker)).as("sleep " + marker).isEmpty();
  }

  /** Live processes whose command line is {@code sleep DURATION}. */
  private static java.util.List<ProcessHandle> sleeping(String duration) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals(duration)).orElse(false))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  @Test
  void aBrokenSchemaFileIsExit2NamingIt() throws Exception {
    Path bad = home.resolve("broken.json");
    Files.writeString(bad, "{\"type\": ");
    CliRun run = exec("--output-schema", bad.toString(), "go");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("broken.json");
  }

  @Test
  void dashOWritesTheFinalMessage() throws Exception {
    Path last = home.resolve("out/last.json");
    CliRun run = exec("--output-schema", schema.toString(), "-c", "emulator.scenario=tools:1", "-o", last.toString(),
        "go");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readString(last, StandardCharsets.UTF_8)).isEqualTo(run.out().strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void jsonModePrintsCodexEventsOnly(String transport) throws Exception {
    CliRun run = exec("--json", "--transport", transport, "-c", "emulator.scenario=tools:2", "go");
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> types = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      types.add(Json.MAPPER.readTree(line).get("type").asText());
    }
    assertThat(types).startsWith("thread.started", "turn.started").endsWith("turn.completed");
    assertThat(types.stream().filter("item.started"::equals)).hasSize(2);
    assertThat(run.out()).contains("\"command_execution\"").contains("\"agent_message\"");
  }

  @Test
  void refusedUpgradeFallsBackToHttpUnlessWebSocketIsForced() throws Exception {
    Path file = home.resolve("m.json");
    CliRun auto = exec("-c", "emulator.faults=upgrade426@*", "-c", "emulator.scenario=tools:2", "--metrics",
        file.toString(), "go");
    assertThat(auto.exit()).as(auto.err()).isZero();
    assertThat(metrics(file).at("/transport/fallbacks").asInt()).isEqualTo(1);
    assertThat(auto.err()).contains("via http");

    CliRun forced = exec("--transport", "websocket", "-c", "emulator.faults=upgrade426@*", "go");
    assertThat(forced.exit()).isEqualTo(4);
    assertThat(forced.err()).contains("426");
  }

  @Test
  void theGitRepositoryCheckExplainsItself() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.toString());
    env.put("RUNNER_HOME", home.toString());
    CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--provider", "emulator", "-s",
        "danger-full-access", "task");
    assertThat(run.exit()).as(run.err() + " workspace " + workspace).isEqualTo(2);
    assertThat(run.err()).contains("not inside a git repository").contains("--skip-git-repo-check");
  }

  @Test
  void aMissingApiKeyIsExit2NamingTheVariableBeforeAnyWork() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("OPENAI_API_KEY");
    env.remove("CODEX_API_KEY");
    env.put("CODEX_HOME", home.toString());
    env.put("RUNNER_HOME", home.toString());
    CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--provider", "openai",
        "--skip-git-repo-check", "-s", "danger-full-access", "task");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("OPENAI_API_KEY").doesNotContain("failed in").doesNotContain("handshake");
  }

  @Test
  void aSandboxThatCannotStartIsExit2WithBubblewrapsReasonBeforeAnyRequest() throws Exception {
    Path bin = RefusingBwrap.install(home);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    Path metricsFile = home.resolve("metrics.json");

    CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--provider", "emulator",
        "--skip-git-repo-check", "-s", "read-only", "--metrics", metricsFile.toString(), "task");

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("sandbox read-only cannot run commands here")
        .contains(RefusingBwrap.MESSAGE).contains("--sandbox danger-full-access")
        .contains("--security-opt seccomp=unconfined --security-opt apparmor=unconfined");
    JsonNode transport = metrics(metricsFile).path("transport");
    assertThat(transport.path("full_requests").asInt(-1)).isZero();
    assertThat(transport.path("incremental_requests").asInt(-1)).isZero();
  }
}
