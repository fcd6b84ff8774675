package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.transport.emulated.Tinyproxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner exec} through a real tinyproxy with {@code BasicAuth}, the proxy URL in {@code HTTP_PROXY}, trace
 * logging on: the password works when right, is reported as the proxy's refusal when wrong, and appears in no output.
 */
class ProxyCredentialsNeverLeakTest {
  static final String PASSWORD = "pw-7f3a9c1e-5d2b";

  @TempDir
  Path dir;

  @BeforeAll
  static void needsTinyproxy() {
    if (!Tinyproxy.installed()) {
      Assumptions.abort("tinyproxy is not installed; install: apt-get install tinyproxy");
    }
  }

  Map<String, String> env(RunningEmulator emulator, String proxyUrl) throws IOException {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("config.toml"), """
        model_provider = "local"
        [model_providers.local]
        base_url = "%s"
        env_key = "LOCAL_LLM_KEY"
        supports_websockets = true
        request_max_retries = 1
        """.formatted(emulator.baseUrl()));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
    env.put("RUNNER_HOME", home.toString());
    env.put("CODEX_HOME", dir.resolve("none").toString());
    env.put("LOCAL_LLM_KEY", "k-emulator");
    env.put("RUNNER_LOG", "trace");
    if (proxyUrl != null) {
      env.put("HTTP_PROXY", proxyUrl);
    }
    return env;
  }

  CliRun exec(Map<String, String> env, String transport) {
    return CliRun.of(CliRun.environment(env, dir, dir), "exec", "--skip-git-repo-check", "-s", "danger-full-access",
        "--transport", transport, "go");
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "http"})
  void theRightPasswordWorksAndTheWrongOneIsNamedAsTheProxysRefusal(String transport) throws Exception {
    try (Tinyproxy proxy = Tinyproxy.start(dir, null, "BasicAuth jane " + PASSWORD + "\n");
        RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"))) {
      Map<String, String> okEnv = env(emulator, "http://jane:" + PASSWORD + "@127.0.0.1:" + proxy.port);
      okEnv.put("NO_PROXY", "other.example:https"); // unreadable: a warning, and the run goes on
      CliRun ok = exec(okEnv, transport);
      assertThat(ok.exit()).as(ok.err()).isZero();
      assertThat(ok.err()).contains("runner: warning: transport: NO_PROXY entry 'other.example:https'")
          .contains("ignored");
      // Proxy-Authorization carries base64("jane:PASSWORD"), which a header or wire log would show
      String basic = java.util.Base64.getEncoder().encodeToString(("jane:" + PASSWORD).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      assertThat(ok.err()).contains("TRACE").doesNotContain(PASSWORD).doesNotContain(basic);
      assertThat(ok.out()).doesNotContain(PASSWORD);
      assertThat(proxy.log()).contains("CONNECT 127.0.0.1:" + emulator.port());

      String wrong = PASSWORD.replace('7', '8');
      CliRun refused = exec(env(emulator, "http://jane:" + wrong + "@127.0.0.1:" + proxy.port), transport);
      assertThat(refused.exit()).as(refused.err()).isEqualTo(4);
      assertThat(refused.err()).contains("the proxy at 127.0.0.1:" + proxy.port).contains("HTTP_PROXY")
          .doesNotContain(wrong).doesNotContain(PASSWORD);
      assertThat(refused.out()).isEmpty();
    }
  }

  @Test
  void anHttpsProxyUrlIsRefusedBeforeAnyConnection() throws Exception {
    try (RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:1"))) {
      Map<String, String> env = env(emulator, null);
      env.put("HTTPS_PROXY", "https://jane:" + PASSWORD + "@127.0.0.1:9");
      CliRun run = exec(env, "http");
      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).contains("HTTPS_PROXY is a https:// URL; only http:// proxies are supported")
          .doesNotContain(PASSWORD);
      assertThat(emulator.stats().httpRequests() + emulator.stats().tcpConnections()).isZero();
    }
  }
}
