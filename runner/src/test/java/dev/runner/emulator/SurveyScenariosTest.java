package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenarios that run real commands: {@code explore:N} (the benchmark's model-like calls) and {@code demo} (whose
 * answer must be made of what its commands found). Commands run for real, with bash and git, in a git checkout made
 * here.
 */
class SurveyScenariosTest {
  private static final Path REPO_SUMMARY = Path.of("..", "schemas", "examples", "repo-summary.json");
  /** The runner's shell tool takes a command line or an argv. */
  private static final String RUNNER_TOOLS = """
      [{"type":"function","name":"shell","parameters":{"type":"object","properties":{"command":{"anyOf":[
        {"type":"string"},{"type":"array","items":{"type":"string"}}]}}}}]""";
  private static final String CODEX_TOOLS = "[{\"type\":\"function\",\"name\":\"exec_command\"}]";

  @Test
  void exploreCallsTheShellAsAModelDoesWithLoginShellArgv() throws Exception {
    Scenario explore = ScenarioLoader.load("explore:10");
    assertThat(explore.turns()).hasSize(11);
    assertThat(explore.turns().get(10).action()).isInstanceOf(Scenario.Action.Final.class);
    ScriptedModel model = new ScriptedModel(explore, new Ids(1));

    List<String> outputs = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      var reply = (ScriptedModel.Reply.Output) model.answer(conversation(outputs), json(RUNNER_TOOLS), null);
      var call = (OutputItem.FunctionCall) reply.items().get(0);
      JsonNode argv = Json.MAPPER.readTree(call.arguments()).path("command");
      assertThat(argv.isArray()).as("call %d: %s", k, call.arguments()).isTrue();
      assertThat(List.of(argv.get(0).asText(), argv.get(1).asText())).containsExactly("bash", "-lc");
      assertThat(argv.get(2).asText()).isEqualTo(ExploreCommands.command(k));
      outputs.add(("output " + k + " line\n").repeat(300)); // ~4 KiB, as explore's commands print
    }
    var answer = (ScriptedModel.Reply.Output) model.answer(conversation(outputs), json(RUNNER_TOOLS), null);
    String text = ((OutputItem.Message) answer.items().get(0)).text();
    // a final answer quotes the start of an output: streaming all of it would cost seconds of realistic latency
    assertThat(text).startsWith("Ran 10 command(s). Last output:\noutput 10 line\n").endsWith("\n…")
        .hasSizeLessThan(700);
    var codexCall = (OutputItem.FunctionCall) ((ScriptedModel.Reply.Output) model.answer(conversation(List.of()),
        json(CODEX_TOOLS), null)).items().get(0);
    assertThat(codexCall.name()).isEqualTo("exec_command"); // codex runs cmd in a login shell itself
    assertThat(Json.MAPPER.readTree(codexCall.arguments()).path("cmd").asText()).isEqualTo("ls -la");
    var echoLike = (OutputItem.FunctionCall) ((ScriptedModel.Reply.Output) new ScriptedModel(
        ScenarioLoader.load("tools:1"), new Ids(1)).answer(conversation(List.of()), json(RUNNER_TOOLS), null))
        .items().get(0);
    assertThat(Json.MAPPER.readTree(echoLike.arguments()).path("command").asText()).isEqualTo("echo step 1");
  }

  @Test
  void exploreNeedsACallCountAndCyclesThroughEveryKind() {
    assertThatThrownBy(() -> ScenarioLoader.load("explore:many")).hasMessageContaining("explore:many")
        .hasMessageContaining("number of tool calls");
    assertThatThrownBy(() -> ScenarioLoader.load("explore:-1")).hasMessageContaining("0..10000");
    assertThat(ScenarioLoader.load("explore:0").turns()).hasSize(1);
    List<String> firstPass = new ArrayList<>();
    List<String> secondPass = new ArrayList<>();
    for (int k = 1; k <= ExploreCommands.KINDS.size(); k++) {
      firstPass.add(ExploreCommands.command(k));
      secondPass.add(ExploreCommands.command(k + ExploreCommands.KINDS.size()));
    }
    assertThat(firstPass).doesNotHaveDuplicates().doesNotContainAnyElementsOf(secondPass)
        .noneMatch(c -> c.contains("%"));
    assertThat(secondPass).noneMatch(c -> c.contains("%"));
  }

  @Test
  void exploreCommandsReadTheCheckoutInAFewKibEachAndExitZero(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    write(repo.resolve("README.md"), "# Parts\n\nParts holds " + "many classes. ".repeat(60) + "\n");
    write(repo.resolve("docs/guide.md"), "# Guide\n\n" + "Read the parts in order.\n".repeat(80));
    for (int commit = 0; commit < 12; commit++) {
      for (int i = commit * 20 + 1; i <= commit * 20 + 20; i++) {
        StringBuilder body = new StringBuilder("package p;\n\n/** Part " + i + ". */\npublic final class C" + i
            + " {\n");
        for (int line = 0; line < 60; line++) {
          body.append("  int field").append(line).append(" = ").append(i * line).append(";\n");
        }
        write(repo.resolve("src/main/java/p/C" + i + ".java"), body.append("}\n").toString());
      }
      commitAll(repo, dir);
    }

    List<Integer> sizes = new ArrayList<>();
    for (int k = 1; k <= ExploreCommands.KINDS.size() * 2; k++) {
      Result r = run(repo, dir, "bash", "-lc", ExploreCommands.command(k));
      assertThat(r.exit()).as("explore command %d `%s`: %s", k, ExploreCommands.command(k), r.output()).isZero();
      sizes.add(r.output().length());
    }
    assertThat(run(repo, dir, "bash", "-lc", ExploreCommands.command(2)).output())
        .contains("src/main/java/p/C1.java");
    assertThat(run(repo, dir, "bash", "-lc", ExploreCommands.command(6)).output()).contains("public final class C");
    List<Integer> sorted = sizes.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2)).as("median output bytes of %s", sizes).isBetween(1024, 8 * 1024);
    assertThat(sorted.get(sorted.size() - 1)).as("largest output of %s", sizes).isLessThan(16 * 1024);
  }

  @Test
  void demoAnswersRepoSummaryWithWhatItsCommandsFound(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("widget");
    write(repo.resolve("README.md"), """
        # Widget

        [![build](https://example.com/badge.svg)](https://example.com)

        Widget turns sprockets into gears. It is fast.
        More on the second line.

        ## Usage
        """);
    write(repo.resolve("pom.xml"), "<project/>\n");
    write(repo.resolve("src/A.java"), "class A {}\n");
    write(repo.resolve("src/B.java"), "class B {}\n");
    write(repo.resolve("src/C.java"), "class C {}\n");
    write(repo.resolve("scripts/run.sh"), "echo run\n");
    write(repo.resolve("docs/notes.md"), "notes\n");
    write(repo.resolve("config.json"), "{}\n");
    commitAll(repo, dir);

    List<String> outputs = new ArrayList<>();
    for (String command : RepoSurvey.COMMANDS) {
      Result r = run(repo, dir, "bash", "-c", command);
      assertThat(r.exit()).as("demo command `%s`: %s", command, r.output()).isZero();
      outputs.add(r.output());
    }
    JsonNode schema = Json.MAPPER.readTree(REPO_SUMMARY.toFile());
    JsonNode answer = demoAnswer(outputs.stream().map(o -> "Exit code: 0\nWall time: 0.004 seconds\nOutput:\n" + o)
        .toList(), schema);

    assertThat(SchemaCheck.problem(schema, answer)).isNull();
    assertThat(answer.path("file_count").asInt()).isEqualTo(8);
    assertThat(texts(answer.path("languages"))).containsExactly("Java", "Shell");
    assertThat(texts(answer.path("files"))).startsWith("README.md", "pom.xml").contains("config.json", "src/")
        .allMatch(f -> Files.exists(repo.resolve(f)), "exists in the checkout");
    assertThat(answer.path("summary").asText()).startsWith("Widget turns sprockets into gears. It holds 8 files, "
        + "mostly Java (3), with Shell (1).").contains("\"Add the widget\"");
    // codex wraps exec_command output differently; the answer must not change with the client
    assertThat(demoAnswer(outputs.stream().map(o -> "Chunk ID: 1a2b3c\nWall time: 0.0040 seconds\nProcess exited "
        + "with code 0\nOriginal token count: 9\nOutput:\n" + o).toList(), schema)).isEqualTo(answer);
  }

  @Test
  void demoOutsideAGitCheckoutCountsFilesOnDiskAndNamesNoCommit(@TempDir Path dir) throws Exception {
    Path plain = dir.resolve("plain");
    write(plain.resolve("main.py"), "print(1)\n");
    write(plain.resolve("lib/util.py"), "X = 1\n");
    write(plain.resolve("notes.md"), "n\n");
    List<String> outputs = new ArrayList<>();
    for (String command : RepoSurvey.COMMANDS) {
      Result r = run(plain, dir, "bash", "-c", command);
      assertThat(r.exit()).as("demo command `%s`: %s", command, r.output()).isZero();
      outputs.add(r.output());
    }
    JsonNode answer = demoAnswer(outputs, Json.MAPPER.readTree(REPO_SUMMARY.toFile()));
    assertThat(answer.path("file_count").asInt()).isEqualTo(3);
    assertThat(texts(answer.path("languages"))).containsExactly("Python");
    assertThat(answer.path("summary").asText()).isEqualTo("The directory holds 3 files, mostly Python (2).");

    String prose = ((OutputItem.Message) ((ScriptedModel.Reply.Output) new ScriptedModel(ScenarioLoader.load("demo"),
        new Ids(1)).answer(conversation(outputs), null, null)).items().get(0)).text();
    assertThat(prose).isEqualTo("The directory holds 3 files, mostly Python (2).\nStart with: main.py, notes.md, "
        + "lib/.");
  }

  @Test
  void surveyTakesNoFindingFromAnotherCommandsLines() {
    RepoSurvey failed = RepoSurvey.of(List.of("ls: cannot open directory '.': Permission denied",
        "bash: line 1: wc: command not found", "README.md\nsrc/Main.java\nabc1234 Fix the build", "fatal: not a git "
            + "repository",
        ""));
    assertThat(failed.entries()).isEmpty();
    assertThat(failed.fileCount()).isEqualTo(-1);
    assertThat(failed.languages()).isEmpty();
    assertThat(failed.commits()).isEmpty();
    assertThat(failed.fact("file_count")).isNull();
    assertThat(failed.fact("languages")).isEmpty();

    RepoSurvey docsOnly = RepoSurvey.of(List.of("a.md\nb.json\n", "3\n", "   2 md\n   1 json\n   4 lock\n", "", ""));
    assertThat(docsOnly.languages()).extracting(RepoSurvey.Language::name).containsExactly("Markdown", "JSON");
    RepoSurvey mixed = RepoSurvey.of(List.of("", "9\n", "  4 ts\n  3 md\n  2 tsx\n  1 js\n", "", ""));
    assertThat(mixed.languages()).containsExactly(new RepoSurvey.Language("TypeScript", 6),
        new RepoSurvey.Language("JavaScript", 1));
  }

  private static JsonNode demoAnswer(List<String> toolOutputs, JsonNode schema) throws IOException {
    JsonNode format = Json.MAPPER.createObjectNode().put("type", "json_schema").set("schema", schema);
    var reply = new ScriptedModel(ScenarioLoader.load("demo"), new Ids(1)).answer(conversation(toolOutputs), null,
        format);
    assertThat(reply).isInstanceOf(ScriptedModel.Reply.Output.class);
    return Json.MAPPER.readTree(((OutputItem.Message) ((ScriptedModel.Reply.Output) reply).items().get(0)).text());
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("%s is an array", array).isTrue();
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static Conversation conversation(List<String> outputs) {
    List<JsonNode> items = new ArrayList<>();
    items.add(TestClient.userMessage("Summarize this repository"));
    for (String o : outputs) {
      items.add(Json.MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", "c")
          .put("output", o));
    }
    return new Conversation(items, 100);
  }

  private static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void commitAll(Path repo, Path home) throws Exception {
    for (String[] argv : List.of(new String[]{"git", "init", "-q"}, new String[]{"git", "add", "-A"},
        new String[]{"git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m",
            "Add the widget"})) {
      Result r = run(repo, home, argv);
      assertThat(r.exit()).as("%s: %s", String.join(" ", argv), r.output()).isZero();
    }
  }

  private record Result(int exit, String output) {}

  /** Runs a command with an empty HOME (no user profile) in {@code cwd}; bounded by 60 s. */
  private static Result run(Path cwd, Path home, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("GIT_DIR");
    Path out = Files.createTempFile(home, "out", ".txt");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", argv) + " still ran after 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
