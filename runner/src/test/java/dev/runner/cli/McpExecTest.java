package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.RunnerException;
import dev.runner.mcp.McpTestServers;
import dev.runner.protocol.Json;
import dev.runner.schema.OutputSchema;
import dev.runner.tools.Sandbox;
import dev.runner.tools.SandboxMode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner exec} with MCP servers from a codex config.toml, driven by the emulator's {@code call} step: the real
 * third-party servers (everything over stdio and streamable HTTP, filesystem) and a server that crashes, hangs or
 * offers malformed schemas. Asserts the {@code --json} items, what the model was sent (the final answer quotes the
 * outputs), stderr warnings and exit codes.
 */
class McpExecTest {
  private static final Path PROJECT = Path.of(System.getProperty("runner.projectDir"));
  private static final String SECRET = "ghp_never-for-mcp-servers-1234567890";

  @TempDir
  Path dir;

  @Test
  void realServersOverStdioAnswerTheScenariosCalls() throws Exception {
    Path everything = McpTestServers.everything();
    Path filesystem = McpTestServers.filesystem();
    Path workspace = workspace();
    Files.writeString(workspace.resolve("notes.txt"), "notes for the filesystem server\n");
    config("""
        [mcp_servers.everything]
        command = "%s"
        args = ["%s", "stdio"]
        env = { SERVER_OWN_TOKEN = "given-to-the-server" }
        cwd = "%s"

        [mcp_servers.files]
        command = "%s"
        args = ["%s", "%s"]
        tool_timeout_sec = 30
        """.formatted(McpTestServers.node(), everything, Files.createDirectories(dir.resolve("server-cwd")),
        McpTestServers.node(), filesystem, workspace.toRealPath()),
        """
            {"call": {"tool": "mcp__everything__echo", "arguments": {"message": "hi from {{prompt}}"}}},
            {"call": {"tool": "mcp__files__read_text_file", "arguments": {"path": "%s"}}},
            {"call": {"tool": "mcp__everything__get-env"}},
            {"call": {"tool": "mcp__everything__get-tiny-image"}},
            {"call": {"tool": "mcp__everything__get-structured-content", "arguments": {"location": "Chicago"}}},
            {"final": "{{outputs}}"}
            """.formatted(workspace.toRealPath().resolve("notes.txt")));

    CliRun run = exec(workspace, "--json", "--metrics", dir.resolve("metrics.json").toString(), "the scenario");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> events = events(run.out());
    List<JsonNode> completed = mcpItems(events, "item.completed");
    assertThat(mcpItems(events, "item.started")).hasSize(5);
    assertThat(completed).extracting(i -> i.get("server").asText() + "/" + i.get("tool").asText())
        .containsExactly("everything/echo", "files/read_text_file", "everything/get-env", "everything/get-tiny-image",
            "everything/get-structured-content");
    assertThat(completed).allSatisfy(i -> assertThat(i.get("status").asText()).isEqualTo("completed"));
    assertThat(completed.get(0).at("/result/content/0/text").asText()).isEqualTo("Echo: hi from the scenario");
    assertThat(completed.get(4).at("/result/structured_content").isObject()).isTrue();
    for (JsonNode event : events) {
      assertThat(OutputSchema.load(PROJECT.resolve("schemas/exec-events.schema.json")).validate(event.toString())
          .violations()).as(event.toString()).isEmpty();
    }
    String answer = events.stream().filter(e -> e.at("/item/type").asText().equals("agent_message"))
        .map(e -> e.at("/item/text").asText()).findFirst().orElseThrow();
    // what the model was sent, as codex sends it: content blocks as JSON, structured content when there is any
    assertThat(answer).contains("[{\"type\":\"text\",\"text\":\"Echo: hi from the scenario\"}]")
        .contains("notes for the filesystem server")
        .contains("given-to-the-server") // the server's own env reaches it
        .contains("\\\"PWD\\\": \\\"" + dir.resolve("server-cwd")) // cwd
        .doesNotContain(SECRET) // the runner's secrets do not
        .contains("[image image/png, ").contains("bytes, not shown]")
        .doesNotContain("iVBORw0KGgo"); // no base64 PNG
    assertThat(run.err()).doesNotContain(SECRET).doesNotContain("given-to-the-server");
    JsonNode metrics = Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.toString()).contains("mcp__everything__echo").contains("mcp__files__read_text_file");

    // the same config, unchanged, through runner batch: a task gets both servers' tools
    Files.writeString(workspace.resolve("tasks.jsonl"), "{\"id\": \"both\", \"prompt\": \"the scenario\"}\n");
    CliRun batch = CliRun.of(CliRun.environment(environment(), workspace, dir.resolve("home")), "batch",
        "--workspace", "copy", "-s", "danger-full-access", "--results", "both.jsonl", "tasks.jsonl");
    assertThat(batch.exit()).as(batch.err()).isZero();
    JsonNode result = Json.MAPPER.readTree(Files.readString(workspace.resolve("both.jsonl")));
    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("ok");
    assertThat(result.get("output").asText()).contains("Echo: hi from the scenario")
        .contains("notes for the filesystem server").contains("given-to-the-server").doesNotContain(SECRET);
  }

  @Test
  void streamableHttpServerIsReachedWithItsBearerToken() throws Exception {
    Path everything = McpTestServers.everything();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(McpTestServers.node().toString(), everything.toString(), "streamableHttp")
        .redirectErrorStream(true).redirectOutput(dir.resolve("http-server.log").toFile());
    pb.environment().put("PORT", String.valueOf(port));
    Process server = pb.start();
    // between the runner and the server, a relay that logs each request's headers (server-everything ignores them)
    Path relayPort = dir.resolve("relay.port");
    Path relayLog = dir.resolve("relay.log");
    Process relay = new ProcessBuilder(McpTestServers.node().toString(),
        Path.of(McpExecTest.class.getResource("/mcp/header-relay.mjs").toURI()).toString(), String.valueOf(port),
        relayPort.toString(), relayLog.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("relay.out").toFile()).start();
    try {
      awaitListening(server, dir.resolve("http-server.log"));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(relayPort) || Files.readString(relayPort).isBlank()) {
        assertThat(relay.isAlive()).as("the relay exited: " + Files.readString(dir.resolve("relay.out"))).isTrue();
        assertThat(System.nanoTime()).as("the relay did not start within 30 s").isLessThan(until);
        Thread.sleep(20);
      }
      Path workspace = workspace();
      config("""
          [mcp_servers.remote]
          url = "http://127.0.0.1:%s/mcp"
          bearer_token_env_var = "REMOTE_MCP_TOKEN"
          http_headers = { "X-Team" = "ci" }
          enabled_tools = ["echo", "get-sum"]
          """.formatted(Files.readString(relayPort).strip()), """
          {"call": {"tool": "mcp__remote__get-sum", "arguments": {"a": 40, "b": 2}}},
          {"call": {"tool": "mcp__remote__get-env"}},
          {"final": "{{outputs}}"}
          """);
      Map<String, String> env = environment();
      env.put("REMOTE_MCP_TOKEN", "bearer-value-123");

      CliRun run = CliRun.of(CliRun.environment(env, workspace, dir.resolve("home")), "exec", "--json", "-s",
          "danger-full-access", "sum");

      assertThat(run.exit()).as(run.err()).isZero();
      List<JsonNode> completed = mcpItems(events(run.out()), "item.completed");
      assertThat(completed).hasSize(1); // get-env is not among enabled_tools: an unknown tool for the runner
      assertThat(completed.get(0).at("/result/content/0/text").asText()).contains("42");
      assertThat(run.out()).contains("unknown tool 'mcp__remote__get-env'").doesNotContain("bearer-value-123");
      // every request the server got carried the token and the configured header
      List<JsonNode> requests = events(Files.readString(relayLog));
      assertThat(requests).as("requests through the relay").isNotEmpty();
      assertThat(requests).allSatisfy(r -> {
        assertThat(r.at("/headers/authorization").asText()).isEqualTo("Bearer bearer-value-123");
        assertThat(r.at("/headers/x-team").asText()).isEqualTo("ci");
      });
    } finally {
      relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void underTheReadOnlySandboxAStdioServerReadsButCannotWrite() throws Exception {
    Path filesystem = McpTestServers.filesystemOutsideTmp();
    Path workspace = workspace();
    try {
      Sandbox.check(SandboxMode.READ_ONLY, workspace, environment());
    } catch (RunnerException e) {
      Assumptions.abort("bubblewrap cannot run here (" + e.getMessage() + "); install: apt-get install bubblewrap");
    }
    Path real = workspace.toRealPath();
    Files.writeString(real.resolve("in.txt"), "readable\n");
    config("""
        [mcp_servers.files]
        command = "%s"
        args = ["%s", "%s"]
        """.formatted(McpTestServers.node(), filesystem, real), """
        {"call": {"tool": "mcp__files__read_text_file", "arguments": {"path": "%s"}}},
        {"call": {"tool": "mcp__files__write_file", "arguments": {"path": "%s", "content": "written"}}},
        {"final": "{{outputs}}"}
        """.formatted(real.resolve("in.txt"), real.resolve("out.txt")));

    CliRun run = exec(workspace, "-s", "read-only", "--json", "read and write");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> completed = mcpItems(events(run.out()), "item.completed");
    assertThat(completed).hasSize(2);
    assertThat(completed.get(0).get("status").asText()).isEqualTo("completed");
    assertThat(completed.get(0).toString()).contains("readable");
    assertThat(completed.get(1).get("status").asText()).isEqualTo("failed"); // isError: read-only file system
    assertThat(real.resolve("out.txt")).doesNotExist();
  }

  @Test
  void aServerThatCrashesMidCallFailsThatCallAndTheRunGoesOn() throws Exception {
    Path workspace = workspace();
    config(misbehaving("crashy", "crash", ""), """
        {"call": {"tool": "mcp__crashy__ok"}},
        {"call": {"tool": "mcp__crashy__crash"}},
        {"call": {"tool": "mcp__crashy__ok"}},
        {"final": "{{outputs}}"}
        """);

    long start = System.nanoTime();
    CliRun run = exec(workspace, "--json", "crash");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> completed = mcpItems(events(run.out()), "item.completed");
    assertThat(completed).extracting(i -> i.get("status").asText()).containsExactly("completed", "failed", "failed");
    assertThat(completed.get(1).at("/error/message").asText()).contains("exited during the call");
    assertThat(completed.get(2).at("/error/message").asText()).contains("not running");
    // far below tool_timeout_sec (60 s): the crash is noticed, not waited out
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(50);

    CliRun human = exec(workspace, "crash");

    assertThat(human.exit()).as(human.err()).isZero();
    assertThat(human.err()).containsPattern("\\[turn 1\\] mcp crashy/ok  -> ok, \\d+ ms")
        .containsPattern("\\[turn 2\\] mcp crashy/crash  -> failed: the server's process exited during the call, "
            + "\\d+ ms")
        .doesNotContain("Exception"); // the SDK's own complaints stay in the debug log
  }

  @Test
  void aServerThatNeverAnswersACallIsCutAtToolTimeout() throws Exception {
    Path workspace = workspace();
    config(misbehaving("stuck", "hang", "tool_timeout_sec = 1"), """
        {"call": {"tool": "mcp__stuck__hang"}},
        {"call": {"tool": "mcp__stuck__ok"}},
        {"final": "{{outputs}}"}
        """);

    CliRun run = exec(workspace, "--json", "hang");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> completed = mcpItems(events(run.out()), "item.completed");
    assertThat(completed).extracting(i -> i.get("status").asText()).containsExactly("failed", "completed");
    assertThat(completed.get(0).at("/error/message").asText()).isEqualTo("no answer within 1 s (tool_timeout_sec)");
  }

  @Test
  void aServerThatNeverStartsIsReportedOnceAndTheRunGoesOnOrFailsUnderStrictConfig() throws Exception {
    Path workspace = workspace();
    config(misbehaving("mute", "hang-start", "startup_timeout_sec = 1.5"), """
        {"call": {"tool": "mcp__mute__ok"}},
        {"final": "{{outputs}}"}
        """);

    CliRun run = exec(workspace, "mute");

    assertThat(run.exit()).as(run.err()).isZero();
    String warning = "MCP server 'mute' did not start within 1.5 s (startup_timeout_sec)";
    assertThat(run.err()).containsOnlyOnce(warning);
    assertThat(run.out()).contains("unknown tool 'mcp__mute__ok'");

    CliRun strict = exec(workspace, "--strict-config", "mute");

    assertThat(strict.exit()).as(strict.err()).isEqualTo(2);
    assertThat(strict.err()).contains(warning);

    // a batch task: runs on without the server, or fails with exit 2 under --strict-config
    Files.writeString(workspace.resolve("tasks.jsonl"), "{\"id\": \"m\", \"prompt\": \"mute\"}\n");
    for (boolean strictBatch : new boolean[]{false, true}) {
      List<String> args = new ArrayList<>(List.of("batch", "--workspace", "copy", "-s", "danger-full-access",
          "--results", "r-" + strictBatch + ".jsonl", "tasks.jsonl"));
      if (strictBatch) {
        args.add(1, "--strict-config");
      }
      CliRun batch = CliRun.of(CliRun.environment(environment(), workspace, dir.resolve("home")),
          args.toArray(String[]::new));
      JsonNode result = Json.MAPPER.readTree(Files.readString(workspace.resolve("r-" + strictBatch + ".jsonl")));
      assertThat(result.get("status").asText()).as(result.toString()).isEqualTo(strictBatch ? "failed" : "ok");
      assertThat(result.get("exit_code").asInt()).as(result.toString()).isEqualTo(strictBatch ? 2 : 0);
      assertThat(batch.exit()).as(batch.err()).isEqualTo(strictBatch ? 1 : 0);
    }
  }

  @Test
  void malformedSchemasLeaveOnlyThoseToolsOut() throws Exception {
    Path workspace = workspace();
    config(misbehaving("odd", "malformed", ""), """
        {"call": {"tool": "mcp__odd__ok"}},
        {"call": {"tool": "mcp__odd__bad_type"}},
        {"final": "{{outputs}}"}
        """);

    CliRun run = exec(workspace, "--json", "malformed");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("MCP server 'odd' tool 'bad_type' has a malformed inputSchema: "
        + "(root).properties.x.type \"strnig\" is not a JSON Schema type; the tool is left out")
        .contains("MCP server 'odd' tool 'bad_properties' has a malformed inputSchema: "
            + "(root).properties is not an object");
    assertThat(mcpItems(events(run.out()), "item.completed")).hasSize(1);
    assertThat(run.out()).contains("unknown tool 'mcp__odd__bad_type'");

    CliRun probe = CliRun.of(CliRun.environment(environment(), workspace, dir.resolve("home")), "config", "--probe");
    assertThat(probe.exit()).as(probe.err()).isZero();
    assertThat(probe.out()).contains("mcp_servers.odd.transport").contains("stdio")
        .containsPattern("mcp_servers\\.odd\\.tools .*mcp__odd__ok");
  }

  @Test
  void longOutputsAreCutLikeShellOutputAndIsErrorFailsTheItem() throws Exception {
    Path workspace = workspace();
    config(misbehaving("misc", "misc", ""), """
        {"call": {"tool": "mcp__misc__big"}},
        {"call": {"tool": "mcp__misc__fails"}},
        {"final": "{{outputs}}"}
        """);

    CliRun run = exec(workspace, "--json", "-c", "tool_output_token_limit=100", "misc");

    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> completed = mcpItems(events(run.out()), "item.completed");
    assertThat(completed).extracting(i -> i.get("status").asText()).containsExactly("completed", "failed");
    assertThat(completed.get(1).at("/result/content/0/text").asText()).isEqualTo("the tool failed on purpose");
    String answer = events(run.out()).stream().filter(e -> e.at("/item/type").asText().equals("agent_message"))
        .map(e -> e.at("/item/text").asText()).findFirst().orElseThrow();
    assertThat(answer).contains("tokens truncated").hasSizeLessThan(2_000);
  }

  @Test
  void batchTasksEachGetServersOfTheirOwnWhichStopWithTheTask() throws Exception {
    Path workspace = workspace();
    config(misbehaving("misc", "misc", ""), """
        {"call": {"tool": "mcp__misc__pid"}},
        {"final": "{{outputs}}"}
        """);
    Files.writeString(workspace.resolve("tasks.jsonl"), """
        {"id": "a", "prompt": "one"}
        {"id": "b", "prompt": "two"}
        {"id": "c", "prompt": "three"}
        """);

    CliRun run = CliRun.of(CliRun.environment(environment(), workspace, dir.resolve("home")), "batch",
        "--workspace", "copy", "-s", "danger-full-access", "--concurrency", "2", "tasks.jsonl");

    assertThat(run.exit()).as(run.err()).isZero();
    List<Long> pids = new ArrayList<>();
    for (String line : Files.readAllLines(workspace.resolve("runner-results.jsonl"))) {
      JsonNode result = Json.MAPPER.readTree(line);
      assertThat(result.get("status").asText()).as(line).isEqualTo("ok");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(result.get("output")
          .asText());
      assertThat(m.find()).as(line).isTrue();
      pids.add(Long.parseLong(m.group(1)));
    }
    assertThat(pids).hasSize(3).doesNotHaveDuplicates(); // a server per task
    assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid %d", pid)
        .isNotEqualTo(java.util.Optional.of(true)));
  }

  private String misbehaving(String name, String mode, String extra) {
    return """
        [mcp_servers.%s]
        command = "%s"
        args = ["%s", "%s"]
        %s
        """.formatted(name, McpTestServers.node(), McpTestServers.misbehaving(), mode, extra);
  }

  private Path workspace() throws IOException {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Files.createDirectories(workspace.resolve(".git"));
    return workspace;
  }

  private void config(String servers, String turns) throws IOException {
    Path scenario = Files.writeString(dir.resolve("scenario.json"),
        "{\"name\": \"mcp\", \"turns\": [" + turns + "]}");
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("config.toml"), """
        model_provider = "emulator"
        [emulator]
        scenario = "%s"

        %s
        """.formatted(scenario, servers));
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", dir.toString());
    env.put("RUNNER_HOME", dir.resolve("home").toString());
    env.put("CODEX_HOME", dir.resolve("no-codex").toString());
    env.put("GITHUB_TOKEN", SECRET);
    return env;
  }

  private CliRun exec(Path workspace, String... args) {
    List<String> all = new ArrayList<>(List.of("exec"));
    if (!List.of(args).contains("-s")) {
      all.addAll(List.of("-s", "danger-full-access"));
    }
    all.addAll(List.of(args));
    return CliRun.of(CliRun.environment(environment(), workspace, dir.resolve("home")), all.toArray(String[]::new));
  }

  private static List<JsonNode> events(String out) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.lines().toList()) {
      events.add(Json.MAPPER.readTree(line));
    }
    assertThat(events).isNotEmpty();
    return events;
  }

  private static List<JsonNode> mcpItems(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asText().equals(type))
        .map(e -> e.get("item")).filter(i -> i.path("type").asText().equals("mcp_tool_call")).toList();
  }

  /** Reads the server's log until it says it listens; bounded by the process's own start (10 s). */
  private static void awaitListening(Process server, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("listening on port")) {
        return;
      }
      if (!server.isAlive()) {
        throw new AssertionError("the HTTP server exited: " + Files.readString(log));
      }
      server.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the HTTP server did not listen within 20 s: " + Files.readString(log));
  }
}
