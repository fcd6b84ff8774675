package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples under {@code ci/examples/} parse and agree with themselves: as many shards as the job runs, each
 * named 0-based as {@code --shard} counts them. (BatchIT runs shards as processes with those variables and merges.)
 */
class CiExamplesTest {
  static final Path EXAMPLES = Path.of(System.getProperty("runner.projectDir"), "ci", "examples");

  @Test
  void theIndexedJobPassesItsCompletionsAndEachPodWritesItsOwnFile() throws Exception {
    JsonNode job = new YAMLMapper().readTree(EXAMPLES.resolve("kubernetes-indexed-job.yml").toFile());
    JsonNode spec = job.get("spec");
    assertThat(spec.get("completionMode").asText()).isEqualTo("Indexed");
    JsonNode container = spec.at("/template/spec/containers/0");
    String completions = null;
    for (JsonNode e : container.get("env")) {
      if (e.get("name").asText().equals("JOB_COMPLETIONS")) {
        completions = e.get("value").asText();
      }
    }
    assertThat(completions).isEqualTo(spec.get("completions").asText()).isEqualTo(spec.get("parallelism").asText());
    List<String> args = new ArrayList<>();
    container.get("args").forEach(a -> args.add(a.asText()));
    assertThat(args.get(0)).isEqualTo("batch");
    assertThat(args).contains("--resume", "/results/results-$(JOB_COMPLETION_INDEX).jsonl");
  }

  @Test
  void theMatrixRunsEveryShardOnceAndTheMergeChecksTheTaskList() throws Exception {
    JsonNode workflow = new YAMLMapper().readTree(EXAMPLES.resolve("github-actions-batch.yml").toFile());
    int shards = workflow.at("/env/SHARDS").asInt();
    JsonNode matrix = workflow.at("/jobs/shard/strategy/matrix/shard");
    List<Integer> indexes = new ArrayList<>();
    matrix.forEach(i -> indexes.add(i.asInt()));
    assertThat(shards).isPositive();
    assertThat(indexes).hasSize(shards);
    for (int i = 0; i < shards; i++) {
      assertThat(indexes).contains(i);
    }
    String steps = workflow.at("/jobs/shard/steps").toString();
    assertThat(steps).contains("runner batch --shard ${{ matrix.shard }}/${{ env.SHARDS }}");
    assertThat(workflow.at("/jobs/merge/steps").toString()).contains("runner merge results-*.jsonl",
        "--tasks tasks.jsonl");
  }
}
