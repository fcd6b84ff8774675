package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import dev.runner.schema.OutputSchema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code runner batch} in-process against emulators on real loopback sockets: two providers (one answering with
 * schema-conforming JSON after two tool calls, one answering with text that is not JSON), both transports.
 */
class BatchCommandTest {
  static final Path PROJECT = Path.of(System.getProperty("runner.projectDir"));

  @TempDir
  Path home;

  @TempDir
  Path dir;

  RunningEmulator good;
  RunningEmulator bad;

  @BeforeEach
  void start() throws Exception {
    good = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withRequireAuth(false).withScenario("tools:2"));
    Path text = home.resolve("text.json");
    Files.writeString(text, "{\"turns\":[{\"text\":\"this is not json\"}]}");
    bad = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withRequireAuth(false)
        .withScenario(text.toString()));
  }

  @AfterEach
  void stop() {
    good.close();
    bad.close();
  }

  List<String> providers() {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, RunningEmulator> e : Map.of("good", good, "bad", bad).entrySet()) {
      String p = "model_providers." + e.getKey() + ".";
      args.addAll(List.of("-c", p + "base_url=" + e.getValue().baseUrl(), "-c", p + "supports_websockets=true", "-c",
          p + "websocket_lanes=true"));
    }
    return args;
  }

  CliRun batch(String stdin, String... args) {
    return batchWithPath(System.getenv("PATH"), stdin, args);
  }

  CliRun batchWithPath(String path, String stdin, String... args) {
    if (List.of(args).contains("read-only") && java.util.Arrays.stream(path.split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "bwrap")))) {
      org.junit.jupiter.api.Assumptions.abort("the read-only sandbox needs bubblewrap; install: apt-get install"
          + " bubblewrap");
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PATH", path);
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    env.remove("JOB_COMPLETION_INDEX");
    List<String> all = new ArrayList<>(List.of("batch"));
    all.addAll(providers());
    List<String> given = List.of(args);
    if (!given.contains("--provider")) {
      all.addAll(List.of("--provider", "good"));
    }
    if (!given.contains("-s")) {
      all.addAll(List.of("-s", "danger-full-access"));
    }
    all.addAll(given);
    Environment environment = new Environment(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        false, dir, home, 0);
    return CliRun.of(environment, all.toArray(String[]::new));
  }

  List<JsonNode> results(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(Json.MAPPER.readTree(line));
    }
    return out;
  }

  static String task(String id, String extra) {
    return "{\"id\":\"" + id + "\",\"prompt\":\"task " + id + "\"" + extra + "}\n";
  }

  @Test
  void everyBadLineIsReportedByNumberAndNothingIsSent() throws Exception {
    Files.writeString(dir.resolve("empty.txt"), "");
    String tasks = task("a", "") + "{not json\n" + task("b", ",\"colour\":\"red\"") + task("a", "")
        + "{\"prompt\":\"no id\"}\n" + "{\"id\":\"c\",\"prompt\":\"x\",\"prompt_file\":\"p.txt\"}\n"
        + "{\"id\":\"d\"}\n" + task("e", ",\"output_schema\":\"missing.json\"")
        + "{\"id\":\"f\",\"prompt_file\":\"nowhere.txt\"}\n" + task("g", ",\"transport\":\"carrier-pigeon\"")
        + task("h", ",\"sandbox\":\"sideways\"") + task("i", ",\"timeout\":\"soon\"") + task("j", ",\"max_turns\":0")
        + task("bad id!", "") + task("k", ",\"provider\":\"nobody\"");
    Files.writeString(dir.resolve("tasks.jsonl"), tasks);
    CliRun run = batch("", "tasks.jsonl");
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("tasks.jsonl:2: not valid JSON", "tasks.jsonl:3: unknown field \"colour\"",
        "tasks.jsonl:4: duplicate id \"a\" (first on line 1)", "tasks.jsonl:5: missing \"id\"",
        "tasks.jsonl:6: both \"prompt\" and \"prompt_file\"", "tasks.jsonl:7: no \"prompt\" or \"prompt_file\"",
        "tasks.jsonl:8: ", "missing.json", "tasks.jsonl:9: prompt_file", "nowhere.txt",
        "tasks.jsonl:10: transport \"carrier-pigeon\"", "tasks.jsonl:11: sandbox \"sideways\"",
        "tasks.jsonl:12: timeout \"soon\"", "tasks.jsonl:13: max_turns", "tasks.jsonl:14: id \"bad id!\"",
        "tasks.jsonl:15: ", "nobody", "nothing was run");
    assertThat(good.stats().httpRequests() + good.stats().websocketHandshakes() + good.stats().tcpConnections())
        .isZero();
    assertThat(dir.resolve("runner-results.jsonl")).doesNotExist();
  }

  @Test
  void twentyFourMixedTasksOverBothTransportsAndTwoProvidersShareTheirPools() throws Exception {
    Path schema = PROJECT.resolve("schemas/examples/repo-summary.json");
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      String transport = i % 2 == 0 ? "websocket" : "http";
      String extra = ",\"transport\":\"" + transport + "\"";
      if (i % 4 == 1) {
        extra += ",\"output_schema\":\"" + schema + "\""; // good + schema: valid JSON
      } else if (i % 4 == 2) {
        extra += ",\"provider\":\"bad\",\"output_schema\":" + Files.readString(schema).replace("\n", " ");
      } else if (i % 4 == 3) {
        extra += ",\"provider\":\"bad\""; // text without a schema: ok
      }
      if (i == 5) {
        extra += ",\"max_turns\":1"; // tools:2 needs three turns
      }
      tasks.append(task("t" + i, extra));
    }
    CliRun run = batch(tasks.toString(), "--concurrency", "4", "--workspace", "shared", "-s", "read-only", "--junit",
        "junit.xml", "--metrics", "metrics.json", "-");
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).hasSize(24);
    // validation is against the schema as written (the strict form is only what a model would be sent)
    OutputSchema resultSchema = OutputSchema.load(PROJECT.resolve("schemas/batch-result.schema.json"));
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode line : lines) {
      assertThat(resultSchema.validate(line.toString()).violations()).as(line.toString()).isEmpty();
      byId.put(line.get("id").asText(), line);
    }
    assertThat(byId).hasSize(24);
    for (int i = 0; i < 24; i++) {
      JsonNode r = byId.get("t" + i);
      String expected = i == 5 ? "failed" : i % 4 == 2 ? "schema_invalid" : "ok";
      assertThat(r.get("status").asText()).as(r.toString()).isEqualTo(expected);
      assertThat(r.get("transport").asText()).isEqualTo(i % 2 == 0 ? "websocket" : "http");
    }
    assertThat(byId.get("t1").get("output").get("summary").isTextual()).isTrue();
    assertThat(byId.get("t3").get("output").asText()).isEqualTo("this is not json");
    assertThat(byId.get("t2").get("exit_code").asInt()).isEqualTo(3);
    assertThat(byId.get("t2").get("errors").get(0).get("pointer").asText()).isEmpty();
    assertThat(byId.get("t5").get("exit_code").asInt()).isEqualTo(1);
    assertThat(byId.get("t5").get("errors").get(0).get("message").asText()).contains("--max-turns");
    assertThat(byId.get("t0").at("/timing/turns").asInt()).isEqualTo(3);
    // four at once over one WebSocket per provider: the lanes share it
    assertThat(good.stats().websocketHandshakes()).isEqualTo(1);
    assertThat(bad.stats().websocketHandshakes()).isEqualTo(1);
    assertThat(good.stats().tcpConnections()).isLessThanOrEqualTo(1 + 4);
    assertThat(run.err()).contains("24 tasks", "17 ok", "6 schema_invalid", "1 failed", "p95");
    String metrics = Files.readString(dir.resolve("metrics.json"));
    assertThat(OutputSchema.load(PROJECT.resolve("schemas/batch-metrics.schema.json")).validate(metrics).violations())
        .isEmpty();
    JsonNode m = Json.MAPPER.readTree(metrics);
    assertThat(m.at("/tasks/ran").asInt()).isEqualTo(24);
    assertThat(m.at("/tasks/schema_invalid").asInt()).isEqualTo(6);
    assertThat(m.at("/transport/pools").asInt()).isEqualTo(4); // two providers, two transports each
    assertThat(m.at("/turns").asLong()).isEqualTo(lines.stream().mapToLong(l -> l.at("/timing/turns").asLong()).sum());

    // the file the batch wrote, against the JUnit XSD CI reporters follow (test resources, batch/README.md)
    javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(new javax.xml.transform.stream.StreamSource(getClass().getResourceAsStream("/batch/junit.xsd")))
        .newValidator().validate(new javax.xml.transform.stream.StreamSource(dir.resolve("junit.xml").toFile()));
    Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml")
        .toFile());
    Element suite = (Element) junit.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("24");
    assertThat(suite.getAttribute("failures")).isEqualTo("6");
    assertThat(suite.getAttribute("errors")).isEqualTo("1");
    NodeList cases = junit.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(24);
    assertThat(junit.getElementsByTagName("failure").getLength()).isEqualTo(6);
    assertThat(((Element) junit.getElementsByTagName("failure").item(0)).getTextContent()).contains("not JSON");
  }

  @Test
  void aCompleteFileResumedRunsNothingAndExitsAsBefore() throws Exception {
    Path schema = PROJECT.resolve("schemas/examples/repo-summary.json");
    String tasks = task("x1", "") + task("x2", ",\"provider\":\"bad\",\"output_schema\":\"" + schema + "\"");
    CliRun first = batch(tasks, "--workspace", "shared", "-s", "read-only", "-");
    assertThat(first.exit()).as(first.err()).isEqualTo(3);
    long requests = good.stats().httpRequests() + good.stats().websocketRequests() + bad.stats().httpRequests()
        + bad.stats().websocketRequests();
    CliRun again = batch(tasks, "--workspace", "shared", "-s", "read-only", "--resume", "-");
    assertThat(again.exit()).as(again.err()).isEqualTo(3);
    assertThat(again.err()).contains("nothing to run");
    assertThat(good.stats().httpRequests() + good.stats().websocketRequests() + bad.stats().httpRequests()
        + bad.stats().websocketRequests()).isEqualTo(requests);
    assertThat(Files.readAllLines(dir.resolve("runner-results.jsonl"))).hasSize(2);
    CliRun fresh = batch(tasks, "--workspace", "shared", "-s", "read-only", "-");
    assertThat(fresh.exit()).isEqualTo(2);
    assertThat(fresh.err()).contains("already holds results", "--resume");
  }

  @Test
  void aTornLastLineIsDroppedAndItsTaskRunsAgain() throws Exception {
    String tasks = task("y1", "") + task("y2", "");
    assertThat(batch(tasks, "--workspace", "shared", "-s", "read-only", "-").exit()).isZero();
    Path file = dir.resolve("runner-results.jsonl");
    List<String> lines = Files.readAllLines(file);
    String kept = lines.get(0);
    Files.writeString(file, kept + "\n" + lines.get(1).substring(0, 25));
    CliRun resumed = batch(tasks, "--workspace", "shared", "-s", "read-only", "--resume", "-");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("torn");
    List<String> after = Files.readAllLines(file);
    assertThat(after).hasSize(2);
    assertThat(after.get(0)).isEqualTo(kept);
    assertThat(Json.MAPPER.readTree(after.get(1)).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void outputFilesThatCannotBeWrittenAreRefusedBeforeAnyTaskRuns() throws Exception {
    Files.createDirectories(dir.resolve("a-folder"));
    for (String[] flag : new String[][]{{"--results", "/proc/nope/r.jsonl"}, {"--junit", "a-folder"},
        {"--metrics", "/proc/nope/m.json"}}) {
      CliRun run = batch(task("w", ""), flag[0], flag[1], "-");
      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).as(flag[0]).contains(flag[0] + " ");
    }
    assertThat(good.stats().tcpConnections()).isZero();
  }

  @Test
  void sharedWorkspaceIsRefusedForTasksThatMayWrite() {
    CliRun run = batch(task("w", ""), "--workspace", "shared", "-s", "workspace-write", "-");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--workspace shared needs the read-only sandbox", "line 1 (w)");
    assertThat(good.stats().tcpConnections()).isZero();
  }

  @Test
  void failFastCancelsTheRestAndTheirLinesSayWhy() throws Exception {
    String tasks = task("f1", ",\"max_turns\":1") + task("f2", "") + task("f3", "");
    CliRun run = batch(tasks, "--workspace", "shared", "-s", "read-only", "--concurrency", "1", "--fail-fast", "-");
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).extracting(l -> l.get("status").asText()).containsExactly("failed", "cancelled", "cancelled");
    assertThat(lines.get(1).at("/errors/0/message").asText()).contains("--fail-fast");
    assertThat(lines.get(1).get("exit_code").isNull()).isTrue();
  }

  @Test
  void theBatchDeadlineCancelsWhatIsLeftAndExits5() throws Exception {
    Path slow = home.resolve("slow.json");
    Files.writeString(slow, "{\"turns\":[{\"text\":\"late\",\"latency_ms\":20000}]}");
    String tasks = task("d1", "") + task("d2", "") + task("d3", "");
    CliRun run = batch(tasks, "--provider", "emulator", "-c", "emulator.scenario=" + slow, "--workspace", "shared",
        "-s", "read-only", "--concurrency", "1", "--deadline", "1s", "-");
    assertThat(run.exit()).as(run.err()).isEqualTo(5);
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).extracting(l -> l.get("status").asText()).containsOnly("cancelled").hasSize(3);
    assertThat(lines).extracting(l -> l.at("/errors/0/message").asText()).allMatch(m -> m.contains("--deadline"));
  }

  @Test
  void aTaskThatCallsNoToolNeverStartsACommandHost() throws Exception {
    // a bwrap that refuses to start: any command host under the read-only sandbox fails, so only tasks that start
    // one can notice it
    Path bin = dev.runner.tools.RefusingBwrap.install(home);
    String tasks = task("quiet", ",\"provider\":\"bad\"") + task("busy", "");
    CliRun run = batchWithPath(bin + ":" + System.getenv("PATH"), tasks, "--workspace", "shared", "-s", "read-only",
        "-");
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    Map<String, JsonNode> byId = new HashMap<>();
    lines.forEach(l -> byId.put(l.get("id").asText(), l));
    assertThat(byId.get("quiet").get("status").asText()).as(run.err()).isEqualTo("ok");
    assertThat(byId.get("busy").toString()).contains(dev.runner.tools.RefusingBwrap.MESSAGE);
  }

  @Test
  void onlyTasksThatRunACommandStartAHostOneEachAndTheMetricsSayHowMany() throws Exception {
    // good: two shell calls per task (tools:2); bad: a text answer and no tool call
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      tasks.append(task("h" + i, i % 2 == 0 ? "" : ",\"provider\":\"bad\""));
    }
    CliRun run = batch(tasks.toString(), "--workspace", "copy", "--concurrency", "3", "--metrics", "m.json", "-");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode m = Json.MAPPER.readTree(Files.readString(dir.resolve("m.json")));
    assertThat(m.at("/command_hosts").asLong()).as("hosts for the 4 tasks that called a tool").isEqualTo(4);
    assertThat(m.at("/turns").asLong()).isEqualTo(4 * 3 + 4);
    assertThat(m.at("/turn_ms/max").asDouble()).isPositive();
    assertThat(m.at("/transport/websocket_handshakes").asLong()).isEqualTo(2); // one socket per provider
    assertThat(OutputSchema.load(PROJECT.resolve("schemas/batch-metrics.schema.json"))
        .validate(m.toString()).violations()).isEmpty();
    assertThat(run.err()).contains("4 command hosts", "2 WebSocket handshakes and 0 HTTP connections",
        "runner: p50/p95/max: task wall ", "; turn ", "; first event ", "16 turns (");

    // the same figures as Prometheus text, chosen by the file's extension
    CliRun prom = batch(tasks.toString().replace("\"h", "\"p"), "--workspace", "copy", "--metrics", "m.prom",
        "--results", "p.jsonl", "-q", "-");
    assertThat(prom.exit()).as(prom.err()).isZero();
    assertThat(prom.err()).isEmpty(); // -q: no progress, no summary
    String text = Files.readString(dir.resolve("m.prom"));
    assertThat(text).contains("# TYPE runner_batch_tasks_total counter", "runner_batch_tasks_total{status=\"ok\"} 8",
        "runner_batch_command_hosts_total 4", "runner_batch_turns_total 16",
        "# TYPE runner_batch_turn_seconds gauge", "runner_batch_turn_seconds{quantile=\"0.95\"} ",
        "runner_batch_connections_total{kind=\"websocket\"} 2");
    for (String line : text.lines().toList()) {
      assertThat(line).as("a Prometheus text line").matches("# (HELP|TYPE) .*|[a-z_]+(\\{[^}]*\\})? [0-9.e+-]+");
    }
  }

  @Test
  void helpListsTheBatchExitCodes() {
    CliRun help = batch("", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Exit codes:", "3   some answers failed their output schema",
        "5   --deadline passed", "--concurrency", "default: 16: the lanes of one WebSocket", "--shard",
        "JOB_COMPLETION_INDEX", "Task lines:",
        "\"output_schema\"", "prompt_file", "max_turns", "Examples:", "--resume --retry-failed");
    // the options shared with exec are there, with batch's wording
    assertThat(help.out()).contains("-s, --sandbox=MODE", "Default sandbox", "--output-schema=FILE", "--max-turns=N",
        "--timeout=DURATION", "--schema-retries=N", "--metrics-format=json|prometheus", "-m, --model=MODEL",
        "--provider=ID", "-c, --config=key=value", "-p, --profile=NAME", "--transport=auto|websocket|http");
    CliRun merge = CliRun.of(CliRun.environment(Map.of(), dir, home), "merge", "--help");
    assertThat(merge.out()).contains("Exit codes:", "1   with --tasks: some ids are missing or duplicated");
  }

  @Test
  void retryFailedRunsAFailedTaskAgainAndCountsItsAttempts() throws Exception {
    // the fault fires once per conversation, and the transport does not retry an incomplete response: the first
    // attempt fails; a retry starts the same conversation again, which the emulator lets past as a retry
    Path flaky = home.resolve("flaky.json");
    Files.writeString(flaky, "{\"turns\":[{\"text\":\"done\",\"fault\":\"incomplete\"}]}");
    List<String> common = List.of("--provider", "emulator", "-c", "emulator.scenario=" + flaky, "--workspace",
        "shared", "-s", "read-only");
    List<String> once = new ArrayList<>(common);
    once.add("-");
    CliRun plain = batch(task("r1", ""), once.toArray(String[]::new));
    assertThat(plain.exit()).as(plain.err()).isEqualTo(1);
    assertThat(results(dir.resolve("runner-results.jsonl")).get(0).get("attempts").asInt()).isEqualTo(1);

    // resumed with --retry-failed: the failed line runs again, in a fresh embedded emulator whose fault fires again
    List<String> retried = new ArrayList<>(common);
    retried.addAll(List.of("--resume", "--retry-failed", "2", "-"));
    CliRun again = batch(task("r1", ""), retried.toArray(String[]::new));
    assertThat(again.exit()).as(again.err()).isZero();
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).get("status").asText()).isEqualTo("ok");
    assertThat(lines.get(1).get("attempts").asInt()).isEqualTo(3); // one earlier, then a failure and a success
  }

  @Test
  void anOutageStopsTheBatchAfterTheThresholdInsteadOfBurningTheList() throws Exception {
    Path down = home.resolve("down.json");
    Files.writeString(down, "{\"turns\":[{\"fail\":{\"code\":\"server_error\",\"message\":\"down\"}}]}");
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      tasks.append(task("o" + i, ""));
    }
    CliRun run = batch(tasks.toString(), "--provider", "emulator", "-c", "emulator.scenario=" + down, "--workspace",
        "shared", "-s", "read-only", "--concurrency", "1", "--outage-threshold", "4", "-");
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("runner: stopping: the last 4 tasks all failed the same way", "--resume");
    assertThat(run.err().lines().filter(l -> l.contains("stopping"))).as("said once").hasSize(1);
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).hasSize(30);
    assertThat(lines.stream().filter(l -> l.get("status").asText().equals("failed")).count()).isEqualTo(4);
    assertThat(lines.get(29).at("/errors/0/message").asText()).contains("provider looks down");
  }

  @Test
  void worktreesGiveEachWritingTaskItsOwnTreeAPatchAndLeaveNothingBehind() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("README.md"), "hello\n");
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
    Path writer = home.resolve("writer.json");
    Files.writeString(writer, "{\"turns\":[{\"shell\":\"echo made by $PWD > new.txt && echo bye >> README.md\"},"
        + "{\"text\":\"written\"}]}");
    String tasks = task("w1", ",\"cwd\":\"repo\"") + task("w2", ",\"cwd\":\"repo\"") + task("r0", ",\"cwd\":\"repo\""
        + ",\"config\":{\"emulator.scenario\":\"echo\"}");
    List<Path> before = batchFolders();
    CliRun run = batch(tasks, "--provider", "emulator", "-c", "emulator.scenario=" + writer, "-s",
        "danger-full-access", "--concurrency", "2", "-");
    assertThat(run.exit()).as(run.err()).isZero();
    List<JsonNode> lines = results(dir.resolve("runner-results.jsonl"));
    assertThat(lines).hasSize(3);
    for (String id : List.of("w1", "w2")) {
      String patch = Files.readString(dir.resolve(id + ".patch"));
      assertThat(patch).contains("+++ b/new.txt", "+made by", "+bye", "README.md");
      assertThat(patch).doesNotContain(repo.toString()); // each ran in its own tree, not in the repository
    }
    assertThat(dir.resolve("r0.patch")).doesNotExist();
    assertThat(lines).filteredOn(l -> l.get("id").asText().equals("r0")).singleElement()
        .satisfies(l -> assertThat(l.get("patch").isNull()).isTrue());
    assertThat(repo.resolve("new.txt")).doesNotExist();
    assertThat(Files.readString(repo.resolve("README.md"))).isEqualTo("hello\n");
    assertThat(git(repo, "worktree", "list").strip().lines()).hasSize(1);
    // folders other processes left or are using (a killed batch, another build on the machine) are not this run's
    assertThat(batchFolders()).filteredOn(f -> !before.contains(f)).filteredOn(BatchCommandTest::holdsThisTestsTasks)
        .as("workspaces left behind").isEmpty();
    // the patch applies to the repository as it is
    git(repo, "apply", "--check", dir.resolve("w1.patch").toString());
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static boolean holdsThisTestsTasks(Path batchFolder) {
    String[] names = batchFolder.toFile().list();
    return names != null && java.util.Arrays.stream(names)
        .anyMatch(n -> n.startsWith("w1-") || n.startsWith("w2-") || n.startsWith("r0-"));
  }

  /** The runs' scratch folders (this JVM's among them, named by its pid) under their one parent. */
  private static List<Path> batchFolders() throws IOException {
    Path parent = Path.of(System.getProperty("java.io.tmpdir"), "runner-batch-"
        + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> all = Files.list(parent)) {
      return all.filter(p -> p.getFileName().toString().startsWith(ProcessHandle.current().pid() + "-")).toList();
    }
  }
}
