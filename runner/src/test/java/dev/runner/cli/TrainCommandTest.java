package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.batch.ResultsFile;
import dev.runner.batch.TaskResult;
import dev.runner.batch.TaskStatus;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT-cache training workload (ci/build-runtime.sh) must succeed, or the cache misses what a run loads: every run
 * it trains, the batch among them, ends ok against a {@code tools:3} emulator.
 */
class TrainCommandTest {
  @TempDir
  Path home;

  @TempDir
  Path workdir;

  @Test
  void everyTrainingRunSucceedsTheBatchIncluded() throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:3"))) {
      Files.writeString(home.resolve("config.toml"), """
          [model_providers.train]
          name = "training emulator"
          base_url = "%s"
          env_key = "TRAIN_KEY"
          """.formatted(emulator.baseUrl()));
      Path schema = Files.writeString(workdir.resolve("schema.json"), "{\"type\":\"object\",\"properties\":"
          + "{\"summary\":{\"type\":\"string\"}},\"required\":[\"summary\"],\"additionalProperties\":false}");
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", home.toString());
      env.put("TRAIN_KEY", "train-key"); // build-runtime's emulator runs --no-auth; this one wants a key
      env.remove("RUNNER_LOG");
      CliRun run = CliRun.of(CliRun.environment(env, workdir, home), "train-aot", "--workdir", workdir.toString(),
          "--schema", schema.toString(), "--provider", "train");
      assertThat(run.exit()).as(run.err()).isZero();
      List<TaskResult> results = ResultsFile.read(workdir.resolve("train-results.jsonl"));
      assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.status()).isEqualTo(TaskStatus.OK));
      assertThat(workdir.resolve("train-junit.xml")).isRegularFile();
    }
  }
}
