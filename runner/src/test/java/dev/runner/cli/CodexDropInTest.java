package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import dev.runner.transport.Events;
import dev.runner.transport.FakeServer;
import dev.runner.transport.FakeServer.HttpReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code runner exec} in place of {@code codex exec}: codex 0.169's flags and sub-commands (from its committed
 * {@code --help}), its reasoning and verbosity keys, AGENTS.md, saved sessions and review, checked on the request
 * bodies a real HTTP server received.
 */
class CodexDropInTest {
  private static final Pattern OPTION = Pattern.compile("^\\s{2,6}(?:(-\\w), )?(--[\\w-]+)", Pattern.MULTILINE);

  @TempDir
  Path home;

  @TempDir
  Path repo;

  private final FakeServer server = new FakeServer();
  private int answers;
  private String transport = "http";

  @BeforeEach
  void setUp() throws Exception {
    server.http((i, body) -> new HttpReply.Sse(Events.message("resp_" + i, "answer " + (++answers)), false));
    git("init", "-q");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "start");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    return env;
  }

  /** {@code runner exec ARGS} against the fake server over HTTP, in {@code cwd}. */
  private CliRun exec(Path cwd, String... args) {
    List<String> all = new ArrayList<>(List.of("exec"));
    all.addAll(List.of(args));
    all.addAll(List.of("-c", "model_providers.fake.base_url=\"" + server.baseUrl() + "\"", "--provider", "fake",
        "--transport", transport, "--dangerously-bypass-approvals-and-sandbox"));
    return CliRun.of(CliRun.environment(env(), cwd, home), all.toArray(String[]::new));
  }

  private String git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.strip();
  }

  private static String text(JsonNode message) {
    StringBuilder sb = new StringBuilder();
    message.path("content").forEach(c -> sb.append(c.path("text").asText("")));
    return sb.toString();
  }

  private static Set<String> codexOptions(String fixture) throws IOException {
    String help = Files.readString(dev.runner.testing.Fixtures.file("dev/runner/cli/codex/" + fixture));
    Set<String> names = new LinkedHashSet<>();
    Matcher m = OPTION.matcher(help.substring(help.indexOf("Options:")));
    while (m.find()) {
      names.add(m.group(2));
      if (m.group(1) != null) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @ParameterizedTest
  @ValueSource(strings = {"exec", "resume", "fork", "review"})
  void everyOptionOfCodexExecHelpIsOneOfRunnerExecs(String command) throws IOException {
    Set<String> codex = codexOptions(command.equals("exec") ? "exec-help.txt" : "exec-" + command + "-help.txt");
    assertThat(codex).contains("-c", "--json", "-o");
    CommandLine exec = RunnerCommand.commandLine(CliRun.environment(env(), repo, home)).getSubcommands().get("exec");
    CommandLine cl = command.equals("exec") ? exec : exec.getSubcommands().get(command);
    assertThat(cl).as("runner exec " + command).isNotNull();
    List<String> missing = codex.stream().filter(o -> cl.getCommandSpec().findOption(o) == null).toList();
    assertThat(missing).as("codex exec " + command + " options runner lacks").isEmpty();
  }

  @Test
  void codexSubCommandsAreRunnerSubCommands() throws IOException {
    String help = Files.readString(dev.runner.testing.Fixtures.file("dev/runner/cli/codex/exec-help.txt"));
    CommandLine exec = RunnerCommand.commandLine(CliRun.environment(env(), repo, home)).getSubcommands().get("exec");
    List<String> codex = Stream.of("resume", "fork", "review").filter(c -> help.contains("\n  " + c + "  ")).toList();
    assertThat(codex).hasSize(3);
    assertThat(exec.getSubcommands().keySet()).containsAll(codex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--oss", "--local-provider=ollama", "--cyber-access-program=standard"})
  void refusedOptionsSayWhatToUseInstead(String option) {
    CliRun run = exec(repo, option, "task");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("not supported by the runner").containsPattern("--provider|omit it");
    assertThat(server.bodies).isEmpty();
  }

  @Test
  void reasoningVerbosityAndProjectDocsReachTheRequestAsCodexSendsThem() throws Exception {
    Files.createDirectories(home.resolve("codex"));
    Files.writeString(home.resolve("codex/AGENTS.md"), "global rule\n");
    Files.writeString(repo.resolve("AGENTS.md"), "root rule\n");
    Path sub = Files.createDirectories(repo.resolve("module"));
    Files.writeString(sub.resolve("AGENTS.override.md"), "module override\n");
    Files.writeString(sub.resolve("AGENTS.md"), "not read: the override wins\n");
    CliRun run = exec(sub, "-c", "model_reasoning_effort=high", "-c", "model_reasoning_summary=detailed", "-c",
        "model_verbosity=low", "Do the task");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo("answer 1");
    JsonNode body = server.bodies.getFirst();
    assertThat(body.path("reasoning").path("effort").asText()).isEqualTo("high");
    assertThat(body.path("reasoning").path("summary").asText()).isEqualTo("detailed");
    assertThat(body.path("include").toString()).isEqualTo("[\"reasoning.encrypted_content\"]");
    assertThat(body.path("store").asBoolean(true)).isFalse();
    assertThat(body.path("text").path("verbosity").asText()).isEqualTo("low");
    JsonNode input = body.path("input");
    assertThat(input.size()).isEqualTo(2);
    assertThat(input.get(0).path("role").asText()).isEqualTo("user");
    assertThat(text(input.get(0))).isEqualTo("# AGENTS.md instructions for " + sub.toRealPath()
        + "\n\n<INSTRUCTIONS>\nglobal rule\n\n--- project-doc ---\n\nroot rule\n\n\nmodule override\n\n</INSTRUCTIONS>");
    assertThat(text(input.get(1))).isEqualTo("Do the task");
  }

  @Test
  void configShowsTheProjectDocsFoundAndTheCodexKeys() throws Exception {
    Files.writeString(repo.resolve("AGENTS.md"), "root rule\n");
    CliRun run = CliRun.of(CliRun.environment(env(), repo, home), "config", "--json", "-c",
        "model_reasoning_effort=low");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains(repo.toRealPath().resolve("AGENTS.md").toString()).contains("project_docs")
        .contains("model_reasoning_effort");
  }

  @Test
  void reasoningItemsComeBackEncryptedAndAreReplayedInTheNextRequest() {
    String reasoning = "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":0,\"item\":"
        + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"plan first\"}],"
        + "\"encrypted_content\":\"ENCRYPTED-1\"}}";
    String call = "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":1,\"item\":"
        + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"update_plan\","
        + "\"arguments\":\"{\\\"plan\\\":[{\\\"step\\\":\\\"look\\\",\\\"status\\\":\\\"in_progress\\\"}]}\","
        + "\"status\":\"completed\"}}";
    server.http((i, body) -> new HttpReply.Sse(i == 0
        ? List.of(Events.created("resp_0"), reasoning, call, Events.completed("resp_0"))
        : Events.message("resp_1", "done"), false));
    CliRun run = exec(repo, "--no-project-doc", "-c", "model_reasoning_effort=medium", "task");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(server.bodies).hasSize(2);
    JsonNode second = server.bodies.get(1);
    assertThat(second.path("include").toString()).isEqualTo("[\"reasoning.encrypted_content\"]");
    List<String> types = new ArrayList<>();
    second.path("input").forEach(i -> types.add(i.path("type").asText()));
    assertThat(types).containsExactly("message", "reasoning", "function_call", "function_call_output");
    assertThat(second.path("input").get(1).path("encrypted_content").asText()).isEqualTo("ENCRYPTED-1");
    assertThat(second.path("reasoning").path("effort").asText()).isEqualTo("medium");
    assertThat(second.path("reasoning").path("summary").asText()).isEqualTo("auto");
  }

  @Test
  void withoutReasoningKeysNothingOfThemIsSent() {
    CliRun run = exec(repo, "--no-project-doc", "task");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode body = server.bodies.getFirst();
    assertThat(body.has("reasoning")).isFalse();
    assertThat(body.has("include")).isFalse();
    assertThat(body.has("text")).isFalse();
    assertThat(body.path("input").size()).isEqualTo(1);
  }

  @Test
  void projectDocMaxBytesCutsTheDocsAndZeroTurnsThemOff() throws Exception {
    Files.writeString(repo.resolve("AGENTS.md"), "0123456789abcdef");
    assertThat(exec(repo, "-c", "project_doc_max_bytes=10", "one").exit()).isZero();
    assertThat(text(server.bodies.get(0).path("input").get(0))).contains("<INSTRUCTIONS>\n0123456789\n</");
    assertThat(exec(repo, "-c", "project_doc_max_bytes=0", "two").exit()).isZero();
    assertThat(server.bodies.get(1).path("input").size()).isEqualTo(1);
    Files.delete(repo.resolve("AGENTS.md"));
    Files.writeString(repo.resolve("CLAUDE.md"), "fallback doc");
    assertThat(exec(repo, "-c", "project_doc_fallback_filenames=[\"CLAUDE.md\"]", "three").exit()).isZero();
    assertThat(text(server.bodies.get(2).path("input").get(0))).contains("fallback doc");
  }

  @Test
  void ignoredKeysThatChangeTheRequestAreNamedOnceAtTheDefaultLevel() {
    CliRun run = exec(repo, "--enable", "web_search_request", "-c", "developer_instructions=\"be brief\"", "-c",
        "approval_policy=never", "task");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).containsOnlyOnce("runner: note: ignoring config keys that change what codex would send")
        .contains("features (-c)").contains("developer_instructions (-c)")
        .doesNotContain("approval_policy");
  }

  @Test
  void sandboxModeFromConfigIsReadAndAnUnusableWritableRootIsRefused() {
    CliRun run = CliRun.of(CliRun.environment(env(), repo, home), "exec", "-c", "sandbox_mode=workspace-write",
        "-c", "sandbox_workspace_write.writable_roots=[\"no-such-folder\"]", "--provider", "emulator", "task");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("sandbox_workspace_write.writable_roots (-c): 'no-such-folder'")
        .contains("does not exist");
    CliRun addDir = exec(repo, "-s", "workspace-write", "--add-dir", home.toString(), "task");
    assertThat(addDir.exit()).isEqualTo(0); // the bypass flag wins over -s, as in codex: every folder is writable
  }

  @Test
  void resumeLastContinuesTheSessionAndForkBranchesIt() throws Exception {
    assertThat(exec(repo, "first task").exit()).isZero();
    CliRun resumed = exec(repo, "resume", "--last", "second task");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out().strip()).isEqualTo("answer 2");
    List<String> texts = new ArrayList<>();
    server.bodies.get(1).path("input").forEach(i -> texts.add(text(i)));
    assertThat(texts).containsExactly("first task", "answer 1", "second task");

    List<Path> files = sessions();
    assertThat(files).hasSize(1);
    String file = files.getFirst().getFileName().toString();
    String id = file.substring(file.length() - ".jsonl".length() - 36, file.length() - ".jsonl".length());
    CliRun forked = exec(repo, "--json", "fork", id.substring(0, 8), "third task");
    assertThat(forked.exit()).as(forked.err()).isZero();
    texts.clear();
    server.bodies.get(2).path("input").forEach(i -> texts.add(text(i)));
    assertThat(texts).containsExactly("first task", "answer 1", "second task", "answer 2", "third task");
    assertThat(sessions()).hasSize(2);
    String original = Files.readString(files.getFirst());
    assertThat(original).doesNotContain("third task").contains("\"type\":\"session_meta\"");
    // the thread id --json reports is the saved session's, as codex's: scripts resume by it
    JsonNode started = Json.MAPPER.readTree(forked.out().lines().findFirst().orElseThrow());
    assertThat(started.path("type").asText()).isEqualTo("thread.started");
    String forkId = started.path("thread_id").asText();
    assertThat(forkId).isNotEqualTo(id);
    assertThat(sessions()).anySatisfy(p -> assertThat(p.getFileName().toString()).endsWith(forkId + ".jsonl"));
    assertThat(Files.readString(sessions().stream().filter(p -> p.toString().endsWith(forkId + ".jsonl"))
        .findFirst().orElseThrow())).contains("\"forked_from\":\"" + id + "\"");
  }

  /**
   * A store:false response lives only in the memory of the socket that made it, so a resumed session (a new process,
   * a new socket) cannot chain from it: its first frame carries the whole conversation and no previous_response_id.
   */
  @Test
  void resumeOverWebSocketResendsTheConversationInFull() {
    server.ws((connection, index, frame) -> FakeServer.WsReply.of(Events.message("resp_ws" + index, "ws answer")));
    transport = "websocket";
    String[] ws = {"-c", "model_providers.fake.supports_websockets=true"};
    List<String> first = new ArrayList<>(List.of(ws));
    first.add("first task");
    assertThat(exec(repo, first.toArray(String[]::new)).exit()).isZero();
    List<String> second = new ArrayList<>(List.of("resume", "--last"));
    second.addAll(List.of(ws));
    second.add("second task");
    CliRun run = exec(repo, second.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(server.frames).hasSizeGreaterThanOrEqualTo(2);
    JsonNode resumed = server.frames.getLast();
    assertThat(resumed.has("previous_response_id")).isFalse();
    List<String> texts = new ArrayList<>();
    resumed.path("input").forEach(i -> texts.add(text(i)));
    assertThat(texts).containsExactly("first task", "ws answer", "second task");
  }

  @Test
  void optionsBeforeAndAfterTheSubCommandBothApplyAsInCodex() {
    assertThat(exec(repo, "first").exit()).isZero();
    CliRun run = exec(repo, "-c", "model_verbosity=low", "resume", "--last", "-c", "model_reasoning_effort=low",
        "again");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode body = server.bodies.getLast();
    assertThat(body.path("text").path("verbosity").asText()).isEqualTo("low");
    assertThat(body.path("reasoning").path("effort").asText()).isEqualTo("low");
    CliRun two = exec(repo, "resume", "--last", "some-id", "prompt");
    assertThat(two.exit()).isEqualTo(2);
    assertThat(two.err()).contains("resume --last takes one argument");
  }

  @Test
  void ephemeralKeepsNoSessionAndResumeWithoutOneSaysSo() throws Exception {
    assertThat(exec(repo, "--ephemeral", "task").exit()).isZero();
    assertThat(sessions()).isEmpty();
    CliRun run = exec(repo, "resume", "--last", "more");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("no saved session");
  }

  @Test
  void reviewOfACommitSendsTheBuiltInPromptAndFindingsSchema() throws Exception {
    Files.writeString(repo.resolve("a.txt"), "x\n");
    git("add", "a.txt");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "add a");
    String sha = git("rev-parse", "HEAD");
    String answer = "{\"findings\":[],\"overall_correctness\":\"patch is correct\",\"overall_explanation\":"
        + "\"fine\",\"overall_confidence_score\":0.9}";
    // Events.message puts the text into a JSON string as it is
    server.http((i, body) -> new HttpReply.Sse(Events.message("resp_r", answer.replace("\"", "\\\"")), false));
    CliRun run = exec(repo, "review", "--commit", "HEAD", "Focus on naming.");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode body = server.bodies.getFirst();
    String task = text(body.path("input").get(body.path("input").size() - 1));
    assertThat(task).contains("git show " + sha).contains("Focus on naming.");
    assertThat(body.path("text").path("format").path("schema").path("properties").has("findings")).isTrue();
    assertThat(Json.MAPPER.readTree(run.out()).path("overall_correctness").asText()).isEqualTo("patch is correct");
  }

  @Test
  void reviewAgainstABaseBranchNamesItsMergeBaseAndTargetsAreExclusive() throws Exception {
    git("branch", "-M", "main");
    String mergeBase = git("rev-parse", "HEAD");
    git("checkout", "-q", "-b", "feature");
    Files.writeString(repo.resolve("b.txt"), "y\n");
    git("add", "b.txt");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "add b");
    CliRun run = exec(repo, "--output-schema", writeSchema(), "review", "--base", "main");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode input = server.bodies.getFirst().path("input");
    assertThat(text(input.get(input.size() - 1))).contains("git diff " + mergeBase).contains("since it left main");

    CliRun both = exec(repo, "review", "--base", "main", "--uncommitted");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("one of --uncommitted, --base and --commit");
    CliRun unknown = exec(repo, "review", "--base", "no-such-branch");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such-branch");
  }

  private String writeSchema() throws IOException {
    Path schema = home.resolve("answer.json");
    Files.writeString(schema, "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[],"
        + "\"properties\":{}}");
    server.http((i, body) -> new HttpReply.Sse(Events.message("resp_s", "{}"), false));
    return schema.toString();
  }

  @Test
  void worktreeRunsInANewDetachedWorktreeOfHead() throws Exception {
    CliRun run = exec(repo, "--worktree", "task");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("working in a new git worktree at " + home.resolve("runner/worktrees"));
    assertThat(git("worktree", "list")).contains(home.resolve("runner/worktrees").toString()).contains("detached");
  }

  @Test
  void theBuiltInReviewSchemaIsTheOneInSchemas() throws Exception {
    Path shipped = Path.of(System.getProperty("runner.projectDir"), "schemas", ReviewTarget.SCHEMA_RESOURCE);
    try (var in = ReviewTarget.class.getResourceAsStream(ReviewTarget.SCHEMA_RESOURCE)) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(shipped));
    }
  }

  @Test
  void imagesAreSentAsInputImagePartsBeforeTheText() throws Exception {
    Path png = Files.write(repo.resolve("shot.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
    CliRun run = exec(repo, "--no-project-doc", "-i", png.toString(), "describe");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode content = server.bodies.getFirst().path("input").get(0).path("content");
    assertThat(content.get(0).path("type").asText()).isEqualTo("input_image");
    assertThat(content.get(0).path("image_url").asText()).isEqualTo("data:image/png;base64,iVBORw==");
    assertThat(content.get(1).path("text").asText()).isEqualTo("describe");
  }

  private List<Path> sessions() throws IOException {
    Path root = home.resolve("runner/sessions");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".jsonl")).toList();
    }
  }
}
