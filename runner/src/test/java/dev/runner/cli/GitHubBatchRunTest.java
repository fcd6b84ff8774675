package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.github.GitHubOutputs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner batch} in a simulated Actions step: outputs, summary and annotations from its results. */
class GitHubBatchRunTest {
  static final Path PROJECT = Path.of(System.getProperty("runner.projectDir"));

  @TempDir
  Path home;

  @TempDir
  Path dir;

  RunningEmulator good;
  RunningEmulator bad;

  @BeforeEach
  void start() throws Exception {
    good = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withRequireAuth(false).withScenario("tools:1"));
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

  CliRun batch(String stdin, String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    env.remove("JOB_COMPLETION_INDEX");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_OUTPUT", dir.resolve("github-output").toString());
    env.put("GITHUB_STEP_SUMMARY", dir.resolve("summary.md").toString());
    List<String> all = new ArrayList<>(List.of("batch", "--provider", "good", "-s", "danger-full-access"));
    for (Map.Entry<String, RunningEmulator> e : Map.of("good", good, "bad", bad).entrySet()) {
      all.addAll(List.of("-c", "model_providers." + e.getKey() + ".base_url=" + e.getValue().baseUrl()));
    }
    all.addAll(List.of(args));
    Environment environment = new Environment(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        false, dir, home, 0);
    return CliRun.of(environment, all.toArray(String[]::new));
  }

  @Test
  void countsByStatusTheNotOkTasksAndTheSlowestReachGitHub() throws Exception {
    Path schema = PROJECT.resolve("schemas/examples/repo-summary.json");
    String tasks = "{\"id\":\"x1\",\"prompt\":\"one\"}\n{\"id\":\"x2\",\"prompt\":\"two\"}\n"
        + "{\"id\":\"x3\",\"prompt\":\"three\",\"provider\":\"bad\",\"output_schema\":\"" + schema + "\"}\n";
    CliRun run = batch(tasks, "--junit", "junit.xml", "-");
    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    Map<String, String> outputs = GitHubOutputs.parse(dir.resolve("github-output"));
    assertThat(outputs).containsEntry("exit-code", "3").containsEntry("ok", "2").containsEntry("failed", "0")
        .containsEntry("schema-invalid", "1")
        .containsEntry("results-file", dir.resolve("runner-results.jsonl").toString())
        .containsEntry("junit-file", dir.resolve("junit.xml").toString());
    String md = Files.readString(dir.resolve("summary.md"));
    assertThat(md).contains("### runner batch: ❌ exit 3", "| ✅ ok | 2 |", "| ⚠️ schema_invalid | 1 |",
        "| **total** | **3** |", "#### Not ok", "| `x3` | schema_invalid | 3 |", "#### Slowest tasks", "`x1`");
    assertThat(run.err()).contains("::error title=Task x3%3A schema_invalid::").doesNotContain("title=Task x1");
  }
}
