package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
  private static final String SENTINEL = "sk-sentinel-do-not-print-4242";

  @TempDir
  Path tmp;

  private Path codexHome;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void home() throws IOException {
    codexHome = Files.createDirectories(tmp.resolve("codex"));
  }

  private int run(String... args) {
    Environment env = new Environment(
        Map.of("CODEX_HOME", codexHome.toString(), "RUNNER_HOME", tmp.resolve("runner").toString(),
            "OPENAI_API_KEY", SENTINEL),
        new ByteArrayInputStream(new byte[0]),
        false,
        tmp,
        tmp.resolve("home"),
        System.nanoTime());
    CommandLine cl = RunnerCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    assertThat(out.toString() + err).doesNotContain(SENTINEL);
    return code;
  }

  private Path customProvider(String extra) throws IOException {
    return Files.writeString(codexHome.resolve("config.toml"), """
        model_provider = "x"
        approval_policy = "never"

        [model_providers.x]
        name = "X"
        base_url = "http://127.0.0.1:1/v1"
        """ + extra);
  }

  private static String line(String text, String key) {
    return text.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow();
  }

  @Test
  void customProviderWithoutSupportsWebsocketsUsesHttpAndSaysWhy() throws IOException {
    Path file = customProvider("");
    assertThat(run("config")).isZero();
    String text = out.toString();
    assertThat(text).contains(file.toString());
    assertThat(line(text, "transport")).contains("http")
        .contains("http: provider 'x' does not set supports_websockets (default false)");
    assertThat(line(text, "provider.base_url")).contains("http://127.0.0.1:1/v1").endsWith(file + ":6");
    assertThat(text).doesNotContain("approval_policy");
  }

  @Test
  void storeResponsesIsShownAndDisableResponseStorageSaysWhyItIsOff() throws IOException {
    assertThat(run("config")).isZero();
    assertThat(line(out.toString(), "store_responses")).contains("false").contains("default");
    out.getBuffer().setLength(0);
    Path file = Files.writeString(codexHome.resolve("config.toml"), """
        store_responses = true
        disable_response_storage = true
        """);
    assertThat(run("config")).isZero();
    assertThat(line(out.toString(), "store_responses")).contains("false").endsWith(file + ":2");
  }

  @Test
  void credentialsInTheBaseUrlAndQueryParametersAreNotShown() throws IOException {
    Files.writeString(codexHome.resolve("config.toml"), """
        model_provider = "x"

        [model_providers.x]
        name = "X"
        base_url = "https://alice:pa55@gw.example/openai/v1?sig=s3cret&region=eu"
        query_params = { api-version = "2025-04-01", api_key = "k3y" }
        """);
    assertThat(run("config")).isZero();
    String text = out.toString();
    assertThat(text).doesNotContain("pa55", "s3cret", "k3y");
    assertThat(line(text, "provider.base_url"))
        .contains("https://[REDACTED]@gw.example/openai/v1?sig=[REDACTED]&region=eu");
    assertThat(line(text, "provider.query_params")).contains("api-version = \"2025-04-01\"")
        .contains("api_key = \"[REDACTED]\"");
  }

  @Test
  void shellEnvironmentPolicyKeysAreShownWithWhereTheyCameFromAndSetSecretsRedacted() throws IOException {
    Path file = customProvider("""
        env_key = "CORP_LLM"

        [shell_environment_policy]
        inherit = "core"
        exclude = ["AWS_*"]
        set = { CI = "1", NPM_TOKEN = "npm-given-on-purpose", CORP_LLM = "never-shown" }
        """);
    assertThat(run("config")).isZero();
    String text = out.toString();
    assertThat(text).doesNotContain("npm-given-on-purpose", "never-shown");
    assertThat(line(text, "shell_environment_policy.inherit")).contains("core").endsWith(file + ":10");
    assertThat(line(text, "shell_environment_policy.ignore_default_excludes")).contains("true").endsWith("default");
    assertThat(line(text, "shell_environment_policy.exclude")).contains("[\"AWS_*\"]").endsWith(file + ":11");
    assertThat(line(text, "shell_environment_policy.set")).contains("CI = \"1\"")
        .contains("NPM_TOKEN = \"[REDACTED]\"").contains("CORP_LLM = \"[REDACTED]\"").endsWith(file + ":12");
    assertThat(line(text, "shell_environment_policy.include_only")).contains("[]").endsWith("default");
  }

  @Test
  void customProviderWithSupportsWebsocketsUsesWebsocket() throws IOException {
    Path file = customProvider("supports_websockets = true\n");
    assertThat(run("config")).isZero();
    assertThat(line(out.toString(), "transport")).contains(
        "websocket: provider 'x' has supports_websockets = true (" + file + ":7)");
  }

  @Test
  void dashCFlipsSupportsWebsockets() throws IOException {
    customProvider("");
    assertThat(run("config", "-c", "model_providers.x.supports_websockets=true")).isZero();
    assertThat(line(out.toString(), "transport"))
        .contains("websocket: provider 'x' has supports_websockets = true (-c)");
  }

  @Test
  void transportFlagForcesHttpOnBuiltInOpenai() {
    assertThat(run("config", "--transport", "http")).isZero();
    String text = out.toString();
    assertThat(line(text, "provider.id")).contains("openai");
    assertThat(line(text, "transport")).contains("http: --transport http");
    assertThat(line(text, "provider.api_key")).contains("set (OPENAI_API_KEY)");
  }

  @Test
  void jsonHasEveryValueWithItsSource() throws IOException {
    Path file = customProvider("request_max_retries = 7\n");
    assertThat(run("config", "--json", "-v", "-m", "gpt-test")).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.at("/model/value").asText()).isEqualTo("gpt-test");
    assertThat(json.at("/model/source").asText()).isEqualTo("flag");
    assertThat(json.at("/provider/request_max_retries/value").asInt()).isEqualTo(7);
    assertThat(json.at("/provider/request_max_retries/source").asText()).isEqualTo(file + ":7");
    assertThat(json.at("/transport/value").asText()).isEqualTo("http");
    assertThat(json.at("/transport/reason").asText()).startsWith("http: provider 'x'");
    assertThat(json.at("/files/0").asText()).isEqualTo(file.toString());
    assertThat(json.at("/ignored_keys/0/key").asText()).isEqualTo("approval_policy");
    assertThat(json.at("/ignored_keys/0/source").asText()).isEqualTo(file + ":2");
  }

  @Test
  void sandboxPathsAreShownWithWhereTheyCameFrom() throws IOException {
    Path file = customProvider("""

        [sandbox_paths]
        hide = ["~/.config/corp", "/etc/corp-secrets"]
        """);

    assertThat(run("config", "-c", "sandbox_paths.expose=[\"~/.npmrc\"]")).isZero();

    assertThat(line(out.toString(), "sandbox_paths.hide"))
        .contains("[\"~/.config/corp\", \"/etc/corp-secrets\"]").endsWith(file + ":9");
    assertThat(line(out.toString(), "sandbox_paths.expose")).contains("[\"~/.npmrc\"]").endsWith("-c");
  }

  @Test
  void aRelativeSandboxPathIsAConfigErrorNamingItsKey() {
    assertThat(run("config", "-c", "sandbox_paths.hide=[\"secrets\"]")).isEqualTo(2);
    assertThat(err.toString()).contains("sandbox_paths.hide: 'secrets' is neither absolute nor under ~/ (-c)");
  }

  @Test
  void verboseListsIgnoredKeys() throws IOException {
    Path file = customProvider("");
    assertThat(run("config", "-v")).isZero();
    assertThat(out.toString()).contains("ignored keys").containsPattern(
        "approval_policy +" + java.util.regex.Pattern.quote(file + ":2"));
  }

  @Test
  void brokenTomlExitsTwoNamingLineAndColumn() throws IOException {
    Files.writeString(codexHome.resolve("config.toml"), "model = \"a\"\n[model_providers.x\n");
    assertThat(run("config")).isEqualTo(2);
    assertThat(err.toString()).contains("config.toml").contains("line 2, column");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void badOverrideIsAUsageError() {
    assertThat(run("config", "-c", "model")).isEqualTo(2);
    assertThat(err.toString()).contains("-c 'model' has no '='");
  }

  @Test
  void strictConfigRejectsUnknownKeys() throws IOException {
    Path file = customProvider("");
    assertThat(run("config", "--strict-config")).isEqualTo(2);
    assertThat(err.toString()).contains("approval_policy (" + file + ":2)");
  }
}
