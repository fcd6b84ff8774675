package dev.runner.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.cli.Environment;
import dev.runner.cli.RunnerCommand;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The requests of a stored session continued with {@code exec resume}, held against the spec and the service's rules as
 * {@link RunnerRequestsConformanceTest} holds a single run's: {@code store: true} on every create, the chained first
 * request ({@code previous_response_id} and only the new input), and, against a server that never had the parent, the
 * refused chained request and the full resend after it.
 */
class ResumeRequestsConformanceTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  @ParameterizedTest(name = "resume over {0}")
  @ValueSource(strings = {"http", "websocket"})
  void storedRunsTheirChainedResumeAndItsFullResendMatchTheSpec(String transport) throws Exception {
    List<RecordingProxy.Sent> sent = new ArrayList<>();
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        RecordingProxy proxy = new RecordingProxy(emulator.baseUrl())) {
      run(proxy, transport, "first task");
      run(proxy, transport, "resume", "--last", "second task");
      sent.addAll(proxy.sent);
    }
    try (RunningEmulator fresh = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:2"));
        RecordingProxy proxy = new RecordingProxy(fresh.baseUrl())) {
      run(proxy, transport, "resume", "--last", "third task");
      sent.addAll(proxy.sent);
    }
    assertThat(RunnerRequestsConformanceTest.problems(sent)).isEmpty();
    List<RecordingProxy.Sent> creates = sent.stream().filter(s -> !s.path().equals("/v1/responses/compact")).toList();
    assertThat(creates).isNotEmpty().allSatisfy(s -> assertThat(s.json().path("store").asBoolean()).isTrue());
    // one chained resume that the first server answered, one the fresh server refused, each with one input item;
    // over WebSocket also the first run's two tool-output turns, chained on their socket
    assertThat(creates.stream().filter(s -> s.json().has("previous_response_id")
        && s.json().path("input").size() == 1)).hasSize(transport.equals("http") ? 2 : 2 + 2);
  }

  private void run(RecordingProxy proxy, String transport, String... task) throws Exception {
    Files.createDirectories(home.resolve("runner"));
    Files.writeString(home.resolve("runner/config.toml"), """
        store_responses = true

        [model_providers.local]
        base_url = "%s"
        env_key = "LOCAL_EMULATOR_KEY"
        supports_websockets = true
        """.formatted(proxy.baseUrl()));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.put("LOCAL_EMULATOR_KEY", "local-key");
    env.remove("RUNNER_LOG");
    List<String> args = new ArrayList<>(List.of("exec"));
    args.addAll(List.of(task));
    args.addAll(List.of("--provider", "local", "--skip-git-repo-check", "-s", "danger-full-access", "--transport",
        transport));
    CommandLine cl = RunnerCommand.commandLine(new Environment(env, new ByteArrayInputStream(new byte[0]), true,
        workspace, home, 0));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    assertThat(cl.execute(args.toArray(String[]::new))).as(String.join(" ", task) + " over " + transport + ": "
        + err).isZero();
  }
}
