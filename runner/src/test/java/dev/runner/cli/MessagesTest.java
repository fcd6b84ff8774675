package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error and help texts read as a user expects: the right line, no library internals, each command's own codes. */
class MessagesTest {
  @TempDir
  Path dir;

  CliRun run(String... args) throws Exception {
    Files.createDirectories(dir.resolve(".git"));
    Map<String, String> env = new HashMap<>();
    env.put("X_KEY", "not-a-key");
    env.put("RUNNER_HOME", dir.resolve("home").toString());
    return CliRun.of(CliRun.environment(env, dir, dir.resolve("home")), args);
  }

  @Test
  void aDuplicateTomlKeyIsReportedOnItsOwnLine() throws Exception {
    Files.createDirectories(dir.resolve("home"));
    Files.writeString(dir.resolve("home/config.toml"), "model = \"a\"\n# note\nmodel = \"b\"\n\n[emulator]\n");
    CliRun r = run("config");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("at line 3, column 1: Duplicate key");
  }

  @Test
  void anInvalidSchemaFileShowsNoJacksonInternals() throws Exception {
    Files.writeString(dir.resolve("bad.json"), "{\"type\": \"object\", \"properties\": {\n");
    CliRun r = run("exec", "--provider", "emulator", "--output-schema", "bad.json", "hi");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("is not valid JSON at line", "a '}' is missing")
        .doesNotContain("Source:", "StreamReadFeature", "REDACTED", "close marker");
  }

  @Test
  void aRefusedConnectionToAOneDigitPortReadsAsRefused() throws Exception {
    // Reactor Netty's String-URI parser took ':1' into the host name (reactor-netty#4357): "invalid IPv6 address"
    for (String transport : new String[]{"http", "websocket"}) {
      CliRun r = run("exec", "-s", "danger-full-access", "--transport", transport, "-c",
          "model_providers.x.base_url=\"http://127.0.0.1:1/v1\"", "-c", "model_providers.x.env_key=\"X_KEY\"", "-c",
          "model_providers.x.request_max_retries=0", "--provider", "x", "hi");
      assertThat(r.exit()).as(r.err()).isEqualTo(4);
      assertThat(r.err()).as(transport).contains("Connection refused", "127.0.0.1:1").doesNotContain("IPv6");
    }
  }

  @Test
  void aBadFaultSpecShowsNoJavaInternals() throws Exception {
    CliRun r = run("exec", "--provider", "emulator", "-s", "danger-full-access", "-c", "emulator.faults=reset@x",
        "hi");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("'x' is not a turn number").doesNotContain("For input string", "Exception");
  }

  @Test
  void aMistypedOptionDoesNotCallThePromptAnOption() throws Exception {
    CliRun r = run("exec", "--outptu-schema", "x", "hi");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown option '--outptu-schema'", "unexpected argument 'hi'")
        .doesNotContain("Unknown options: '--outptu-schema', 'hi'");
  }

  @Test
  void eachSubCommandListsItsOwnExitCodes() throws Exception {
    String emulator = run("emulator", "--help").out();
    assertThat(emulator).contains("served until --exit-after").doesNotContain("schema validation");
    String config = run("config", "--help").out();
    assertThat(config).contains("invalid configuration").doesNotContain("schema validation");
    assertThat(run("exec", "--help").out()).contains("schema validation", "130", "143");
    CliRun batch = run("batch", "--help");
    assertThat(batch.exit()).isZero();
    assertThat(batch.out()).contains("Usage: runner batch");
  }

  @Test
  void theRootHelpShowsEverySummaryWhole() throws Exception {
    String help = run("--help").out();
    String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit codes:"));
    assertThat(commands).contains("to dry-run pipelines offline.", "into a results file (plus JUnit XML, metrics).");
    for (String line : commands.lines().toList()) {
      assertThat(line.strip()).as(line).doesNotEndWith(",");
    }
  }
}
