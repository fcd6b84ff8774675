package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
  @TempDir
  Path tmp;

  private Path codex;
  private Path runner;

  @BeforeEach
  void homes() throws IOException {
    codex = Files.createDirectories(tmp.resolve("codex-home"));
    runner = Files.createDirectories(tmp.resolve("runner-home"));
  }

  private ConfigInput input() {
    return ConfigInput.of(
        Map.of("CODEX_HOME", codex.toString(), "RUNNER_HOME", runner.toString()),
        tmp.resolve("home"),
        tmp);
  }

  private Path write(Path dir, String toml) throws IOException {
    return Files.writeString(dir.resolve("config.toml"), toml);
  }

  @Test
  void withoutFilesTheBuiltInOpenaiProviderAndDefaultsApply() {
    RunConfig c = ConfigResolver.resolve(input());
    assertThat(c.files()).isEmpty();
    assertThat(c.model()).isEqualTo(ConfigResolver.DEFAULT_MODEL);
    assertThat(c.source("model")).isEqualTo(Provenance.DEFAULT);
    ProviderConfig p = c.provider();
    assertThat(p.id()).isEqualTo("openai");
    assertThat(p.baseUrl()).contains("https://api.openai.com/v1");
    assertThat(p.envKey()).contains("OPENAI_API_KEY");
    assertThat(p.apiKeyVariables()).containsExactly("OPENAI_API_KEY", "CODEX_API_KEY");
    assertThat(p.supportsWebsockets()).isTrue();
    assertThat(p.source("supports_websockets")).isEqualTo(Provenance.BUILT_IN);
    assertThat(p.requestMaxRetries()).isEqualTo(4);
    assertThat(p.streamMaxRetries()).isEqualTo(5);
    assertThat(p.streamIdleTimeout()).isEqualTo(Duration.ofMillis(300_000));
    assertThat(p.websocketConnectTimeout()).isEqualTo(Duration.ofMillis(15_000));
    assertThat(p.websocketMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(p.websocketRotationMargin()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.maxConnections()).isEqualTo(16);
    assertThat(p.websocketLanes()).isFalse();
    assertThat(c.transport().transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(c.toolOutputTokenLimit()).isEqualTo(10_000);
    assertThat(c.modelAutoCompactTokenLimit()).isEmpty();
    assertThat(c.emulator()).isEqualTo(EmulatorSettings.DEFAULTS);
  }

  @Test
  void precedenceIsCodexThenRunnerThenProfileThenDashCThenFlags() throws IOException {
    Path codexFile = write(codex, """
        model = "from-codex"
        model_auto_compact_token_limit = 1
        tool_output_token_limit = 1
        profile = "ci"

        [emulator]
        seed = 1

        [profiles.ci]
        model_auto_compact_token_limit = 2
        """);
    Path runnerFile = write(runner, """
        model = "from-runner"
        tool_output_token_limit = 2
        model_auto_compact_token_limit = 3

        [profiles.ci]
        model = "from-profile"
        """);
    RunConfig plain = ConfigResolver.resolve(input());
    assertThat(plain.files()).containsExactly(codexFile, runnerFile);
    assertThat(plain.emulator().seed()).isEqualTo(1);
    assertThat(plain.source("emulator.seed")).isEqualTo(new Provenance.InFile(codexFile, 7));
    assertThat(plain.toolOutputTokenLimit()).isEqualTo(2);
    assertThat(plain.source("tool_output_token_limit")).isEqualTo(new Provenance.InFile(runnerFile, 2));
    // the codex profile beats the runner file's top level
    assertThat(plain.modelAutoCompactTokenLimit()).hasValue(2);
    assertThat(plain.source("model_auto_compact_token_limit"))
        .isEqualTo(new Provenance.InProfile("ci", codexFile, 10));
    assertThat(plain.profile()).contains("ci");
    assertThat(plain.source("profile")).isEqualTo(new Provenance.InFile(codexFile, 4));
    assertThat(plain.model()).isEqualTo("from-profile");
    assertThat(plain.source("model")).isEqualTo(new Provenance.InProfile("ci", runnerFile, 6));

    RunConfig dashC = ConfigResolver.resolve(input().withOverrides(List.of("model=from-c")));
    assertThat(dashC.model()).isEqualTo("from-c");
    assertThat(dashC.source("model").toString()).isEqualTo("-c");

    RunConfig flag = ConfigResolver.resolve(
        input().withOverrides(List.of("model=from-c")).withModel("from-flag"));
    assertThat(flag.model()).isEqualTo("from-flag");
    assertThat(flag.source("model")).isEqualTo(new Provenance.Flag("-m"));
  }

  @Test
  void customProviderFromFileWithOverridesOfBuiltIns() throws IOException {
    Path file = write(codex, """
        model_provider = "local"

        [model_providers.local]
        name = "Local"
        base_url = "http://127.0.0.1:9/v1/"
        env_key = "LOCAL_KEY"
        env_key_instructions = "ask the admin"
        http_headers = { "X-Team" = "ci" }
        request_max_retries = 1
        ca_file = "certs/ca.pem"

        [model_providers.openai]
        supports_websockets = false
        """);
    RunConfig c = ConfigResolver.resolve(input());
    ProviderConfig p = c.provider();
    assertThat(p.id()).isEqualTo("local");
    assertThat(p.baseUrl()).contains("http://127.0.0.1:9/v1");
    assertThat(p.httpHeaders()).containsEntry("X-Team", "ci");
    assertThat(p.source("http_headers")).isEqualTo(new Provenance.InFile(file, 8));
    assertThat(p.requestMaxRetries()).isEqualTo(1);
    assertThat(p.source("request_max_retries").toString()).isEqualTo(file + ":9");
    assertThat(p.caFile()).contains(codex.resolve("certs/ca.pem"));
    assertThat(p.apiKeyVariables()).containsExactly("LOCAL_KEY");
    assertThat(c.transport().reason())
        .isEqualTo("http: provider 'local' does not set supports_websockets (default false)");

    RunConfig openai = ConfigResolver.resolve(input().withProvider("openai"));
    assertThat(openai.provider().supportsWebsockets()).isFalse();
    assertThat(openai.transport().reason()).isEqualTo(
        "http: provider 'openai' has supports_websockets = false (" + file + ":13)");
    RunConfig baseUrl = ConfigResolver.resolve(input().withProvider("openai")
        .withOverrides(List.of("model_providers.openai.base_url=http://localhost:1/v1")));
    assertThat(baseUrl.provider().baseUrl()).contains("http://localhost:1/v1");
  }

  @Test
  void emulatorProviderIsEmbeddedAndKeyless() {
    RunConfig c = ConfigResolver.resolve(input().withProvider("emulator"));
    assertThat(c.provider().embedded()).isTrue();
    assertThat(c.provider().websocketLanes()).isTrue();
    assertThat(c.provider().resolveApiKey(Map.of())).isEmpty();
    assertThat(c.transport().transport()).isEqualTo(Transport.WEBSOCKET);
  }

  @Test
  void transportKeyInFilesAndDashCAndFlag() throws IOException {
    Path file = write(runner, "transport = \"http\"\n");
    RunConfig fromFile = ConfigResolver.resolve(input());
    assertThat(fromFile.transport().reason()).isEqualTo("http: transport = \"http\" (" + file + ":1)");
    RunConfig dashC = ConfigResolver.resolve(input().withOverrides(List.of("transport=websocket")));
    assertThat(dashC.transport().transport()).isEqualTo(Transport.WEBSOCKET);
    RunConfig autoFallsThrough = ConfigResolver.resolve(
        input().withOverrides(List.of("transport=auto")).withTransport(TransportMode.AUTO));
    assertThat(autoFallsThrough.transport().transport()).isEqualTo(Transport.HTTP);
    RunConfig flag = ConfigResolver.resolve(
        input().withOverrides(List.of("transport=http")).withTransport(TransportMode.WEBSOCKET));
    assertThat(flag.transport().reason()).isEqualTo("websocket: --transport websocket");
  }

  @Test
  void storeResponsesSendsStoreTrueUnlessCodexsDisableResponseStorageSaysNo() throws IOException {
    assertThat(ConfigResolver.resolve(input()).storeResponses()).isFalse();
    write(runner, "store_responses = true\n");
    RunConfig stored = ConfigResolver.resolve(input());
    assertThat(stored.storeResponses()).isTrue();
    assertThat(stored.unknownKeys()).isEmpty();
    assertThat(stored.source("store_responses").toString()).contains("config.toml");
    assertThat(ConfigResolver.resolve(input().withOverrides(List.of("store_responses=false"))).storeResponses())
        .isFalse();
    // a Zero Data Retention account's codex config: nothing may be stored, whatever else asks for it
    write(codex, "disable_response_storage = true\n");
    RunConfig zdr = ConfigResolver.resolve(input());
    assertThat(zdr.storeResponses()).isFalse();
    assertThat(zdr.unknownKeys()).isEmpty();
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withOverrides(List.of("store_responses=\"yes\""))))
        .hasMessageContaining("store_responses: expected a boolean");
  }

  @Test
  void wrongTypeNamesKeyExpectedTypeAndLine() throws IOException {
    Path file = write(codex, """
        model = "m"

        [model_providers.x]
        base_url = "http://127.0.0.1:1"

        supports_websockets = true
        request_max_retries = "four"
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("model_providers.x.request_max_retries: expected a non-negative integer, "
            + "got string \"four\" (" + file + ":7)");
  }

  @Test
  void wrongTypesInDashCAndChoices() {
    assertThatThrownBy(() -> ConfigResolver.resolve(
        input().withOverrides(List.of("model_providers.openai.supports_websockets=yes"))))
        .hasMessage("model_providers.openai.supports_websockets: expected a boolean, "
            + "got string \"yes\" (-c)");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withOverrides(List.of("transport=ws"))))
        .hasMessageContaining("transport: expected one of auto, websocket, http");
    assertThatThrownBy(() -> ConfigResolver.resolve(
        input().withOverrides(List.of("model_providers.openai.http_headers={a=1}"))))
        .hasMessageContaining("model_providers.openai.http_headers.a: expected a string, got integer 1");
  }

  @Test
  void tomlSyntaxErrorNamesFileLineAndColumn() throws IOException {
    Path file = write(codex, "model = \"m\"\nbroken = = 2\n");
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .isInstanceOfSatisfying(RunnerException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 2, column 10");
  }

  @Test
  void unknownProviderListsKnownIds() throws IOException {
    write(codex, "[model_providers.mine]\nbase_url = \"http://h/v1\"\n");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withProvider("nope")))
        .hasMessage("unknown model provider 'nope' (--provider); known providers: emulator, mine, openai");
  }

  @Test
  void unknownProfileListsKnownProfiles() throws IOException {
    write(codex, "[profiles.ci]\nmodel = \"a\"\n");
    write(runner, "[profiles.dev]\nmodel = \"b\"\n");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withProfile("prod")))
        .hasMessage("unknown profile 'prod' (-p); known profiles: ci, dev");
  }

  @Test
  void missingApiKeyNamesTheVariableAndNeverAKey() throws IOException {
    write(codex, """
        model_provider = "x"
        [model_providers.x]
        base_url = "https://example.test/v1"
        env_key = "X_API_KEY"
        env_key_instructions = "get one at https://example.test/keys"
        """);
    String sentinel = "sk-sentinel-0123456789";
    ProviderConfig p = ConfigResolver.resolve(input()).provider();
    Map<String, String> env = Map.of("OPENAI_API_KEY", sentinel);
    assertThatThrownBy(() -> p.resolveApiKey(env))
        .isInstanceOfSatisfying(RunnerException.class, e -> {
          assertThat(e.getMessage()).contains("X_API_KEY").doesNotContain(sentinel);
          assertThat(e.hint()).contains("export X_API_KEY=").contains("https://example.test/keys")
              .doesNotContain(sentinel);
        });
    assertThat(p.resolveApiKey(Map.of("X_API_KEY", " secret-x "))).contains("secret-x");
    assertThat(p.toString()).doesNotContain("secret");
  }

  @Test
  void inputAndConfigNeverPrintKeyValues() {
    ConfigInput in = ConfigInput.of(Map.of("OPENAI_API_KEY", "sk-sentinel-777"), tmp, tmp);
    assertThat(in.toString()).contains("OPENAI_API_KEY").doesNotContain("sk-sentinel-777");
    assertThat(ConfigResolver.resolve(in).toString()).doesNotContain("sk-sentinel-777");
  }

  @Test
  void openaiFallsBackToCodexApiKey() {
    ProviderConfig p = ConfigResolver.resolve(input()).provider();
    assertThat(p.apiKeyVariable(Map.of("CODEX_API_KEY", "k"))).contains("CODEX_API_KEY");
    assertThat(p.resolveApiKey(Map.of("CODEX_API_KEY", "k", "OPENAI_API_KEY", "o"))).contains("o");
    assertThatThrownBy(() -> p.resolveApiKey(Map.of()))
        .hasMessageContaining("OPENAI_API_KEY or CODEX_API_KEY is not set");
  }

  @Test
  void unknownKeysAreCollectedAndStrictModeRejectsThem() throws IOException {
    Path file = write(codex, """
        approval_policy = "never"

        [mcp_servers.docs]
        command = "docs-server"

        [model_providers.openai]
        requires_openai_auth = true
        """);
    RunConfig c = ConfigResolver.resolve(input().withOverrides(List.of("notify=x")));
    assertThat(c.unknownKeys()).extracting(UnknownKey::toString).containsExactly(
        "approval_policy (" + file + ":1)",
        "model_providers.openai.requires_openai_auth (" + file + ":7)",
        "notify (-c)");
    // [mcp_servers] is read now (it was the example of a codex table the runner ignored)
    assertThat(c.mcpServers()).extracting(McpServerConfig::name).containsExactly("docs");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withStrict(true)))
        .hasMessageContaining("unknown config keys (--strict-config)")
        .hasMessageContaining("approval_policy (" + file + ":1)");
  }

  @Test
  void customProviderNeedsAnHttpBaseUrlAndTheResponsesApi() throws IOException {
    Path file = write(codex, """
        [model_providers.nourl]
        name = "n"
        [model_providers.chat]
        base_url = "http://h/v1"
        wire_api = "chat"
        [model_providers.bad]
        base_url = "ftp://h"
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withProvider("nourl")))
        .hasMessage("provider 'nourl' has no base_url (" + file + ":1)");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withProvider("chat")))
        .hasMessageContaining("model_providers.chat.wire_api").hasMessageContaining(file + ":5");
    assertThatThrownBy(() -> ConfigResolver.resolve(input().withProvider("bad")))
        .hasMessageContaining("expected an http(s) URL, got \"ftp://h\"");
  }

  @Test
  void defaultHomesAreUnderTheUserHome() throws IOException {
    Path home = tmp.resolve("user");
    Path file = Files.createDirectories(home.resolve(".runner")).resolve("config.toml");
    Files.writeString(file, "model = \"r\"\n");
    RunConfig c = ConfigResolver.resolve(ConfigInput.of(Map.of(), home, tmp));
    assertThat(c.files()).containsExactly(file);
    assertThat(c.model()).isEqualTo("r");
  }
}
