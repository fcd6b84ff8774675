package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner config} with codex's {@code [mcp_servers]}: values, provenance, redaction and config errors. */
class McpConfigTest {
  @TempDir
  Path dir;

  @Test
  void eachServerIsListedWithItsTransportAndWhereEachKeyCameFrom() throws Exception {
    Path codex = Files.createDirectories(dir.resolve("codex"));
    Files.writeString(codex.resolve("config.toml"), """
        [mcp_servers.docs]
        command = "npx"
        args = ["-y", "docs-server"]
        env = { DOCS_API_TOKEN = "tok-secret-value", REGION = "eu" }
        startup_timeout_sec = 20

        [mcp_servers.tracker]
        url = "https://mcp.example.com/mcp"
        bearer_token_env_var = "TRACKER_TOKEN"
        http_headers = { "X-Team" = "ci" }
        disabled_tools = ["delete_issue"]
        """);
    Map<String, String> env = env();
    env.put("TRACKER_TOKEN", "tracker-secret");

    CliRun run = CliRun.of(CliRun.environment(env, dir, dir), "config", "-c", "mcp_servers.docs.tool_timeout_sec=5",
        "-c", "mcp_servers.tracker.enabled=false");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("mcp_servers\\.docs\\.transport +stdio +.*config\\.toml:2")
        .containsPattern("mcp_servers\\.docs\\.args +\\[\"-y\", \"docs-server\"\\]")
        .containsPattern("mcp_servers\\.docs\\.startup_timeout_sec +20 +.*config\\.toml:5")
        .containsPattern("mcp_servers\\.docs\\.tool_timeout_sec +5 +-c")
        .containsPattern("mcp_servers\\.tracker\\.transport +streamable_http")
        .containsPattern("mcp_servers\\.tracker\\.bearer_token_env_var +TRACKER_TOKEN \\(set\\)")
        .containsPattern("mcp_servers\\.tracker\\.enabled +false +-c")
        .contains("DOCS_API_TOKEN = \"[REDACTED]\"").contains("REGION = \"eu\"")
        .doesNotContain("tok-secret-value").doesNotContain("tracker-secret");
  }

  @Test
  void aServerWithBothCommandAndUrlIsAConfigError() throws Exception {
    CliRun run = CliRun.of(CliRun.environment(env(), dir, dir), "config", "-c", "mcp_servers.x.command=\"a\"",
        "-c", "mcp_servers.x.url=\"http://127.0.0.1:1/mcp\"");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("[mcp_servers.x] needs exactly one of command (a stdio server) or url");
  }

  @Test
  void aTimeoutOfTheWrongTypeNamesTheKey() throws Exception {
    CliRun run = CliRun.of(CliRun.environment(env(), dir, dir), "config", "-c", "mcp_servers.x.command=\"a\"",
        "-c", "mcp_servers.x.tool_timeout_sec=\"soon\"");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("mcp_servers.x.tool_timeout_sec: expected a non-negative number of seconds");
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CODEX_HOME", dir.resolve("codex").toString());
    env.put("RUNNER_HOME", dir.resolve("runner").toString());
    env.put("PATH", "/usr/bin:/bin");
    return env;
  }
}
