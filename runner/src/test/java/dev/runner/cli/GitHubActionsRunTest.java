package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.github.GitHubOutputs;
import dev.runner.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated Actions step: {@code GITHUB_ACTIONS=true} with temporary files as {@code GITHUB_OUTPUT} and
 * {@code GITHUB_STEP_SUMMARY}; exec runs on the embedded emulator and the files and stderr are read back.
 */
class GitHubActionsRunTest {
  @TempDir
  Path dir;

  Path output() {
    return dir.resolve("github-output");
  }

  Path summary() {
    return dir.resolve("step-summary.md");
  }

  CliRun exec(boolean github, String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", dir.resolve("h").toString());
    env.put("RUNNER_HOME", dir.resolve("h").toString());
    env.remove("RUNNER_LOG");
    env.put("GITHUB_ACTIONS", Boolean.toString(github));
    env.put("GITHUB_OUTPUT", output().toString());
    env.put("GITHUB_STEP_SUMMARY", summary().toString());
    List<String> all = new java.util.ArrayList<>(List.of("exec", "--provider", "emulator", "--skip-git-repo-check",
        "-s", "danger-full-access", "-C", dir.toString()));
    all.addAll(List.of(args));
    return CliRun.of(CliRun.environment(env, dir, dir), all.toArray(String[]::new));
  }

  /** A scenario whose last turn answers {@code finalText}, after {@code shells} shell calls. */
  String scenario(String finalText, String... shells) throws Exception {
    return scenarioOf("final", finalText, shells);
  }

  /** As above; {@code kind} {@code text} sends the answer unchecked, as a model breaking its schema would. */
  String scenarioOf(String kind, String finalText, String... shells) throws Exception {
    ObjectNode plan = Json.MAPPER.createObjectNode();
    var turns = plan.putArray("turns");
    for (String shell : shells) {
      turns.addObject().put("shell", shell);
    }
    turns.addObject().put(kind, finalText);
    Path file = dir.resolve("plan.json");
    Files.writeString(file, plan.toString());
    return "emulator.scenario=" + file;
  }

  Path schema() throws Exception {
    Path file = dir.resolve("schema.json");
    Files.writeString(file, """
        {"type":"object","properties":{"count":{"type":"integer"},"name":{"type":"string"}},
         "required":["count","name"],"additionalProperties":false}""");
    return file;
  }

  @Test
  void outputsSummaryAndGanttOfASuccessfulRun() throws Exception {
    Path answer = dir.resolve("answer.json");
    Path metrics = dir.resolve("metrics.json");
    CliRun run = exec(true, "-c", scenario("{\"count\":2,\"name\":\"x\"}", "echo one", "echo two"),
        "--output-schema", schema().toString(), "-o", answer.toString(), "--metrics", metrics.toString(), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, String> outputs = GitHubOutputs.parse(output());
    assertThat(outputs).containsEntry("final-message", run.out().strip()).containsEntry("exit-code", "0")
        .containsEntry("result-file", answer.toString()).containsEntry("metrics-file", metrics.toString())
        .containsEntry("schema-valid", "true");
    String md = Files.readString(summary());
    assertThat(md).contains("### runner exec: ✅ success", "**Output schema:** ✅ valid", "| turns | 3 |",
        "| tool calls | 2 |", "```mermaid\ngantt", "dateFormat x", "section turn 1", "section turn 3",
        "shell :c1_1, ");
    assertThat(run.err()).doesNotContain("::error");
  }

  @Test
  void aFinalMessageHoldingFixedDelimitersCannotInjectAnOutput() throws Exception {
    String attack = "done\nEOF\nghadelimiter_\nexit-code=0\ninjected=yes\nfinal-message<<EOF\nforged\nEOF";
    CliRun run = exec(true, "-c", scenario(attack), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, String> outputs = GitHubOutputs.parse(output());
    assertThat(outputs.keySet()).containsExactly("final-message", "exit-code");
    assertThat(outputs.get("final-message")).isEqualTo(attack);
  }

  @Test
  void schemaViolationsAreErrorAnnotationsWithTheirPointers() throws Exception {
    Path answer = dir.resolve("answer.json");
    CliRun run = exec(true, "-c", scenarioOf("text", "{\"count\":\"three\"}"), "--schema-retries", "0",
        "--output-schema",
        schema().toString(), "-o", answer.toString(), "go");
    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("::error title=Output schema violation at /count::/count: ")
        .contains("::error title=Output schema violation at (root)::(root): ");
    Map<String, String> outputs = GitHubOutputs.parse(output());
    assertThat(outputs).containsEntry("exit-code", "3").containsEntry("schema-valid", "false")
        .containsEntry("final-message", "{\"count\":\"three\"}");
    assertThat(Files.readString(summary())).contains("❌ failed (exit 3)", "| `/count` |", "2 violations");
  }

  @Test
  void aFailureIsAnErrorAnnotationAndStillSetsTheExitCode() throws Exception {
    CliRun run = exec(true, "-c", scenario("never"), "--max-turns", "0", "go");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("::error title=runner exec failed (exit " + run.exit() + ")::");
    assertThat(GitHubOutputs.parse(output())).containsEntry("exit-code", Integer.toString(run.exit()));
  }

  @Test
  void fallbacksAndRetriesAreWarnings() throws Exception {
    CliRun fallback = exec(true, "-c", "emulator.faults=upgrade426@1", "go");
    assertThat(fallback.exit()).as(fallback.err()).isZero();
    assertThat(fallback.err()).contains("::warning title=WebSocket fell back to HTTP::1 WebSocket session(s)");
    CliRun retried = exec(true, "--transport", "http", "-c", "emulator.faults=http500@1", "go");
    assertThat(retried.exit()).as(retried.err()).isZero();
    assertThat(retried.err()).contains("::warning title=Requests retried::");
  }

  @Test
  void verboseLogsFoldEachCommandsOutputInAGroup() throws Exception {
    CliRun run = exec(true, "-v", "-c", scenario("ok", "echo '::warning::from a tool'; echo visible"), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("::group::$ echo '%3A%3Awarning%3A%3Afrom a tool'".replace("%3A", ":"))
        .contains("visible\n").contains("::endgroup::");
    // the tool's own line cannot become a workflow command
    assertThat(run.err().lines()).noneMatch(l -> l.startsWith("::warning::from a tool"));
  }

  @Test
  void noGithubAndOutsideActionsWriteNothing() throws Exception {
    CliRun optedOut = exec(true, "--no-github", "-c", scenario("{}"), "go");
    CliRun outside = exec(false, "-c", scenario("{}"), "go");
    assertThat(optedOut.exit()).as(optedOut.err()).isZero();
    assertThat(outside.exit()).as(outside.err()).isZero();
    assertThat(output()).doesNotExist();
    assertThat(summary()).doesNotExist();
  }

  @Test
  void anUnwritableOutputFileWarnsAndKeepsTheExitCode() throws Exception {
    Files.createDirectories(output()); // a folder: appending to it fails
    CliRun run = exec(true, "-c", scenario("{}"), "go");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("runner: warning: could not write step outputs to GITHUB_OUTPUT");
  }
}
