package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.RunnerException;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.tools.Sandbox;
import dev.runner.tools.SandboxMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scripted model whose tool call runs {@code env} and whose answer is what that call printed, i.e. what the model
 * was sent: with secrets named every way in the runner's environment, none of their values may reach the model or
 * stderr (debug logging everywhere), with the sandbox off and on, while an ordinary variable does reach the model.
 */
class ToolsNeverSeeSecretsTest {
  private static final String ORDINARY = "ORDINARY_SETTING=visible-ordinary-value";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"danger-full-access", "read-only"})
  void envInAToolShowsNoSecret(String sandbox) throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Map<String, String> env = baseEnvironment();
    requireBubblewrap(sandbox, workspace, env);
    Map<String, String> secrets = secrets();
    env.putAll(secrets);
    String setOnPurpose = "npm-set-on-purpose-" + UUID.randomUUID();
    Path scenario = Files.writeString(dir.resolve("env.json"), """
        {"name": "env", "turns": [{"shell": "env"}, {"final": "{{outputs}}"}]}
        """);
    try (
        RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario.toString()))) {
      Path home = Files.createDirectories(dir.resolve("home"));
      Files.writeString(home.resolve("config.toml"), """
          model_provider = "local"
          [model_providers.local]
          base_url = "%s"
          env_key = "CORP_LLM"

          [model_providers.corp]
          base_url = "https://llm.corp.example/v1"
          env_key = "CORP_LLM_KEY"
          env_http_headers = { "X-Trace" = "CI_TRACE_ID" }
          """.formatted(emulator.baseUrl()));
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", dir.resolve("no-codex").toString());
      env.put("RUNNER_LOG", "debug");

      CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--skip-git-repo-check", "-s", sandbox,
          "-c", "tool_output_token_limit=1000000", "-c", "shell_environment_policy.set.NPM_TOKEN=" + setOnPurpose,
          "-c", "shell_environment_policy.set.CORP_LLM=forbidden-by-set", "print the environment");

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.err()).contains("DEBUG transport");
      // what the model was sent: the tool ran and printed ordinary variables
      assertThat(run.out()).contains(ORDINARY).contains("PATH=")
          .contains("HTTPS_PROXY=http://proxy.invalid:3128")
          .contains("NPM_TOKEN=" + setOnPurpose)
          .doesNotContain("forbidden-by-set");
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        assertThat(run.out()).as("%s reached the model", secret.getKey()).doesNotContain(secretPart(secret));
        assertThat(run.err()).as("%s reached stderr", secret.getKey()).doesNotContain(secretPart(secret));
      }
      assertThat(run.err()).doesNotContain(setOnPurpose)
          .contains("shell_environment_policy.set names CORP_LLM, which a model provider reads its key");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"danger-full-access", "read-only"})
  void inheritNoneGivesCommandsOnlyWhatIsSet(String sandbox) throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Map<String, String> env = baseEnvironment();
    requireBubblewrap(sandbox, workspace, env);
    Path scenario = Files.writeString(dir.resolve("env.json"), """
        {"name": "env", "turns": [{"shell": "env"}, {"final": "{{outputs}}"}]}
        """);
    try (
        RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario.toString()))) {
      Path home = Files.createDirectories(dir.resolve("home"));
      Files.writeString(home.resolve("config.toml"), """
          model_provider = "local"
          [model_providers.local]
          base_url = "%s"
          env_key = "CORP_LLM"

          [shell_environment_policy]
          inherit = "none"
          set = { ONLY_THIS = "was-set" }
          """.formatted(emulator.baseUrl()));
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", dir.resolve("no-codex").toString());
      env.put("CORP_LLM", "leak-" + UUID.randomUUID());

      CliRun run = CliRun.of(CliRun.environment(env, workspace, home), "exec", "--skip-git-repo-check", "-s", sandbox,
          "print the environment");

      assertThat(run.exit()).as(run.err()).isZero();
      // bash adds PWD, SHLVL and _ itself; nothing else of ours gets through, not even PATH
      assertThat(run.out()).contains("ONLY_THIS=was-set").doesNotContain("ORDINARY_SETTING", "PATH=", "HOME=",
          env.get("CORP_LLM"));
    }
  }

  @org.junit.jupiter.api.Test
  void anErrorMessageThatEchoesTheKeyIsRedactedWhateverTheKeysVariableIsCalled() throws Exception {
    String key = "corp-key-" + UUID.randomUUID();
    Path scenario = Files.writeString(dir.resolve("fail.json"), """
        {"name": "fail", "turns": [{"fail": {"code": "invalid_api_key", "message": "key %s was rejected"}}]}
        """.formatted(key));
    try (
        RunningEmulator emulator = EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario.toString()))) {
      Path home = Files.createDirectories(dir.resolve("home"));
      Files.writeString(home.resolve("config.toml"), """
          model_provider = "local"
          [model_providers.local]
          base_url = "%s"
          env_key = "CORP_LLM"
          """.formatted(emulator.baseUrl()));
      Map<String, String> env = baseEnvironment();
      env.put("RUNNER_HOME", home.toString());
      env.put("CODEX_HOME", dir.resolve("no-codex").toString());
      env.put("CORP_LLM", key);

      CliRun run = CliRun.of(CliRun.environment(env, dir, home), "exec", "--skip-git-repo-check", "-s",
          "danger-full-access", "go");

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).contains("was rejected").doesNotContain(key);
      CliRun json = CliRun.of(CliRun.environment(env, dir, home), "exec", "--json", "--skip-git-repo-check", "-s",
          "danger-full-access", "go");
      assertThat(json.exit()).isEqualTo(1);
      assertThat(json.out()).contains("turn.failed").contains("was rejected").doesNotContain(key);
      assertThat(json.err()).doesNotContain(key);
    }
  }

  private static void requireBubblewrap(String sandbox, Path workspace, Map<String, String> env) {
    if (!sandbox.equals("danger-full-access")) {
      try {
        Sandbox.check(SandboxMode.READ_ONLY, workspace, env);
      } catch (RunnerException e) {
        Assumptions.abort("bubblewrap cannot run here (" + e.getMessage() + "); install: apt-get install bubblewrap");
      }
    }
  }

  /** Only what a command needs, so the printed environment is small and fully known. */
  private Map<String, String> baseEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", dir.toString());
    env.put("LANG", "C.UTF-8");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put(ORDINARY.substring(0, ORDINARY.indexOf('=')), ORDINARY.substring(ORDINARY.indexOf('=') + 1));
    return env;
  }

  /** Secrets named every way the rule knows, each with a value of its own. */
  private static Map<String, String> secrets() {
    Map<String, String> s = new LinkedHashMap<>();
    for (String name : new String[]{"CORP_LLM", "CORP_LLM_KEY", "CI_TRACE_ID", "OPENAI_API_KEY", "my_api_key",
        "aws_secret_access_key", "AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "Docker_Password", "DB_PASSWD", "GH_PAT",
        "MYSQL_PWD", "SSHPASS", "GOOGLE_APPLICATION_CREDENTIALS", "Slack_Webhook_Url", "APIKEY"}) {
      s.put(name, "leak-" + name.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID());
    }
    s.put("HTTPS_PROXY", "http://proxyuser:leak-proxy-" + UUID.randomUUID() + "@proxy.invalid:3128");
    return s;
  }

  /** The part of a value that must not show: a proxy's password, else the whole value. */
  private static String secretPart(Map.Entry<String, String> secret) {
    String v = secret.getValue();
    return secret.getKey().endsWith("_PROXY") ? v.substring(v.indexOf(':', 6) + 1, v.indexOf('@')) : v;
  }
}
