package dev.runner.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The push's checks and labels; ci/pushgateway-test.sh pushes to a real gateway. */
class MetricsPushTest {
  @Test
  void onlyHttpUrlsWithAHostAndNoSecretsAreAccepted() {
    assertThat(MetricsPush.parse("http://gateway:9091").getPort()).isEqualTo(9091);
    assertThat(MetricsPush.parse("https://metrics.example.com/prefix/").getHost()).isEqualTo("metrics.example.com");
    for (String bad : new String[]{"gateway:9091", "ftp://gateway", "http://", "http://u:p@gateway:9091",
        "http://gateway:9091/?token=x", "http://gate way"}) {
      assertThatThrownBy(() -> MetricsPush.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void groupingLabelsComeFromGithubWhenPresent() {
    assertThat(MetricsPush.groupingFrom(Map.of("GITHUB_REPOSITORY", "o/r", "GITHUB_WORKFLOW", "ci",
        "GITHUB_RUN_ID", "7", "GITHUB_RUN_ATTEMPT", "2", "HOME", "/root")))
        .containsExactly(Map.entry("repository", "o/r"), Map.entry("workflow", "ci"), Map.entry("run_id", "7"),
            Map.entry("run_attempt", "2"));
    assertThat(MetricsPush.groupingFrom(Map.of("HOME", "/root"))).isEmpty();
  }

  @Test
  void outcomeGaugesAreInThePrometheusText() {
    PrometheusMeterRegistry registry = (PrometheusMeterRegistry) Registries.forRun(true);
    OutcomeMeters.exec(registry, Tags.of("provider", "p"), 3, false);
    OutcomeMeters.batch(registry, Tags.of("provider", "p"), 3, Map.of("ok", 2, "schema_invalid", 1));
    String text = MetricsFiles.prometheus(registry);
    assertThat(text).contains("runner_run_success{provider=\"p\"} 0", "runner_run_exit_code{provider=\"p\"} 3",
        "runner_run_schema_valid{provider=\"p\"} 0", "runner_batch_tasks{provider=\"p\",status=\"ok\"} 2",
        "runner_batch_tasks{provider=\"p\",status=\"schema_invalid\"} 1");
  }
}
