package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runner.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every JSONL line and every metrics file {@code runner exec} writes validates against the schema it publishes. */
class ExecOutputsSchemaTest {
  @TempDir
  Path dir;

  static Schema schema(String name) throws Exception {
    Path file = Path.of(System.getProperty("runner.projectDir"), "schemas", name);
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Json.MAPPER.readTree(Files.readString(file)));
  }

  String exec(String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", dir.resolve("h").toString());
    env.put("RUNNER_HOME", dir.resolve("h").toString());
    CliRun run = CliRun.of(CliRun.environment(env, dir, dir), args);
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void jsonlEventsValidate() throws Exception {
    Schema events = schema("exec-events.schema.json");
    Files.writeString(dir.resolve("plan.json"), """
        {"turns":[{"shell":"echo one"},{"patch":"*** Begin Patch\\n*** Add File: notes.txt\\n+hello\\n*** End Patch"},
          {"final":"done with {{output.1}}"}]}""");
    String out = exec("exec", "--json", "--provider", "emulator", "--skip-git-repo-check", "-s", "danger-full-access",
        "-C", dir.toString(), "-c", "emulator.scenario=" + dir.resolve("plan.json"), "go");
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(6);
    for (String line : lines) {
      assertThat(events.validate(Json.MAPPER.readTree(line))).as(line).isEmpty();
    }
    assertThat(out).contains("\"file_change\"").contains("\"command_execution\"").contains("done with one");
  }

  @Test
  void metricsFileValidates() throws Exception {
    Schema metrics = schema("metrics.schema.json");
    for (String transport : List.of("websocket", "http")) {
      Path file = dir.resolve("m-" + transport + ".json");
      exec("exec", "--provider", "emulator", "--skip-git-repo-check", "-s", "danger-full-access", "-C",
          dir.toString(), "--transport", transport, "-c", "emulator.scenario=tools:3", "--metrics", file.toString(),
          "go");
      JsonNode report = Json.MAPPER.readTree(Files.readString(file));
      assertThat(metrics.validate(report)).as(report.toPrettyString()).isEmpty();
      assertThat(report.at("/transport/kind").asText()).isEqualTo(transport);
      assertThat(report.at("/tools/calls").asInt()).isEqualTo(3);
      // what did not happen is null, not a -1 a dashboard would average in
      assertThat(report.at("/turns/0/client_ms").isNull()).as("no turn before the first").isTrue();
      assertThat(report.at("/turns/1/client_ms").asDouble()).isNotNegative();
      assertThat(report.toString()).doesNotContain(":-1");
      // in-process (no launcher stamp) start-up counts from the JVM's start
      assertThat(report.at("/session/startup_from").asText()).isEqualTo("jvm");
    }
  }

  @Test
  void prometheusFormatHasCountersAndTimers() throws Exception {
    Path file = dir.resolve("m.prom");
    exec("exec", "--provider", "emulator", "--skip-git-repo-check", "-s", "danger-full-access", "-C", dir.toString(),
        "-c", "emulator.scenario=tools:2", "--metrics", file.toString(), "--metrics-format", "prometheus", "go");
    String text = Files.readString(file);
    assertThat(text).contains("# TYPE runner_requests_total counter")
        .contains("runner_tool_duration_seconds_count{provider=\"emulator\",tool=\"shell\",transport=\"websocket\"} 2")
        .contains("# TYPE runner_turn_duration_seconds summary");
  }
}
