package dev.runner.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ci/github-action/action.yml}: every input is used by a step, every output is set, by the runner itself
 * ({@link GitHubActions#EXEC_OUTPUTS}, {@link GitHubActions#BATCH_OUTPUTS}) or by the run step's script, and inputs
 * reach the scripts only as environment variables.
 */
class ActionYamlTest {
  static final Path ACTION = Path.of(System.getProperty("runner.projectDir"), "ci", "github-action", "action.yml");
  static final List<String> ISSUE_INPUTS = List.of("prompt", "prompt-file", "tasks", "output-schema", "model",
      "provider", "transport", "sandbox", "config", "working-directory", "shard", "shard-count", "extra-args",
      "java-version");
  static final List<String> ISSUE_OUTPUTS = List.of("final-message", "result-file", "exit-code", "metrics-file",
      "results-file", "junit-file", "ok", "failed", "schema-invalid");

  JsonNode action() throws Exception {
    return new YAMLMapper().readTree(ACTION.toFile());
  }

  static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyInputIsUsedByAStep() throws Exception {
    JsonNode action = action();
    List<String> inputs = names(action.get("inputs"));
    assertThat(inputs).containsAll(ISSUE_INPUTS);
    String steps = action.at("/runs/steps").toString();
    for (String input : inputs) {
      assertThat(steps).as("input " + input).contains("inputs." + input + " }}");
    }
  }

  @Test
  void everyOutputIsSetByTheRunnerOrTheRunStep() throws Exception {
    JsonNode action = action();
    List<String> outputs = names(action.get("outputs"));
    assertThat(outputs).containsAll(ISSUE_OUTPUTS);
    JsonNode run = null;
    for (JsonNode step : action.at("/runs/steps")) {
      if ("run".equals(step.path("id").asText())) {
        run = step;
      }
    }
    assertThat(run).as("a step with id run").isNotNull();
    Set<String> setByRunner = new LinkedHashSet<>(GitHubActions.EXEC_OUTPUTS);
    setByRunner.addAll(GitHubActions.BATCH_OUTPUTS);
    Set<String> setByScript = new LinkedHashSet<>();
    Matcher echoed = Pattern.compile("echo \"([a-z-]+)=[^\"]*\" >> \"\\$GITHUB_OUTPUT\"")
        .matcher(run.get("run").asText());
    while (echoed.find()) {
      setByScript.add(echoed.group(1));
    }
    assertThat(setByScript).contains("exit-code");
    for (String output : outputs) {
      assertThat(action.at("/outputs/" + output + "/value").asText()).as(output)
          .isEqualTo("${{ steps.run.outputs." + output + " }}");
      assertThat(setByRunner.contains(output) || setByScript.contains(output)).as(output + " is set").isTrue();
    }
    // and nothing the runner sets is hidden from the action's users
    assertThat(outputs).containsAll(setByRunner);
  }

  @Test
  void scriptsGetInputsAsVariablesNeverAsText() throws Exception {
    List<String> scripts = new ArrayList<>();
    action().at("/runs/steps").forEach(s -> {
      if (s.has("run")) {
        scripts.add(s.get("run").asText());
      }
    });
    assertThat(scripts).isNotEmpty();
    for (String script : scripts) {
      assertThat(script).doesNotContain("${{");
    }
  }
}
