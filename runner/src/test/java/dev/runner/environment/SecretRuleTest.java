package dev.runner.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRuleTest {
  private final SecretRule rule = SecretRule.standard();

  @ParameterizedTest
  @ValueSource(strings = {
      // suffixes, any case
      "OPENAI_API_KEY", "openai_api_key", "OpenAi_Api_Key", "CODEX_API_KEY", "HEROKU_API_KEY", "GPG_PRIVATE_KEY",
      "NPM_TOKEN", "npm_token", "Sonar_Token", "CI_JOB_TOKEN", "AZURE_CLIENT_SECRET", "client_secret",
      "DOCKER_PASSWORD", "docker_password", "TWINE_PASSWORD", "CI_REGISTRY_PASSWORD", "SMTP_PASSWD",
      "SIGNING_KEY_PASSPHRASE", "GOOGLE_APPLICATION_CREDENTIALS", "azure_credentials", "DB_CREDENTIAL",
      // the ending without an underscore
      "APIKEY", "OpenAIKey", "GHTOKEN", "PGPASSWORD", "MYSECRET",
      // a secret word inside the name
      "AWS_ACCESS_KEY_ID", "aws_secret_access_key", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE",
      "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SECRET_KEY_BASE", "SLACK_WEBHOOK_URL",
      "DB_PASSWORD_FILE", "MY_APIKEY_VALUE",
      // GitHub Actions and friends by name
      "GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "NODE_AUTH_TOKEN", "HF_TOKEN",
      // last words that mean credential only at the end
      "GH_PAT", "azure_devops_pat", "NPM_CONFIG__AUTH", "MYSQL_PWD", "REDIS_PASS",
      "SSHPASS", "docker_auth_config"})
  void secretsByName(String name) {
    assertThat(rule.isSecret(name)).as(name).isTrue();
    assertThat(rule.forTools(name, "v")).as(name).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PATH", "HOME", "LANG", "TERM", "USER", "SHELL", "PWD", "OLDPWD", "TMPDIR", "JAVA_HOME",
      "MAVEN_OPTS", "LD_LIBRARY_PATH", "SSH_AUTH_SOCK", "MAX_TOKENS", "OPENAI_MAX_TOKENS", "TOKENIZERS_PARALLELISM",
      "KEYCLOAK_URL", "KEYMAP", "BYPASS", "GITHUB_WORKSPACE", "GITHUB_SHA", "GITHUB_ACTIONS",
      "ACTIONS_RUNTIME_URL", "AWS_REGION", "AWS_PROFILE", "CI", "XDG_RUNTIME_DIR", "PATHEXT", "COMPASS_HOME",
      "HTTPS_PROXY", "NO_PROXY", "RUNNER_TEMP"})
  void ordinaryVariablesAreNot(String name) {
    assertThat(rule.isSecret(name)).as(name).isFalse();
    assertThat(rule.forTools(name, "value")).as(name).contains("value");
  }

  @Test
  void aProvidersVariablesAreSecretsWhateverTheirNameSays() {
    SecretRule configured = rule.withVariables(List.of("CORP_LLM", "X_ORG_SOURCE"));

    assertThat(rule.isSecret("CORP_LLM")).isFalse();
    assertThat(configured.isSecret("CORP_LLM")).isTrue();
    assertThat(configured.isSecret("corp_llm")).isTrue();
    assertThat(configured.isSecret("X_ORG_SOURCE")).isTrue();
    assertThat(configured.isProviderVariable("Corp_Llm")).isTrue();
    assertThat(configured.isProviderVariable("GITHUB_TOKEN")).isFalse();
    assertThat(configured.variables()).containsExactly("CORP_LLM", "X_ORG_SOURCE");
  }

  @Test
  void theReadmesCorpLlmKeyIsASecretByNameAndAsAProviderVariable() {
    assertThat(rule.isSecret("CORP_LLM_KEY")).isTrue();
    assertThat(rule.withVariables(List.of("CORP_LLM_KEY")).isProviderVariable("CORP_LLM_KEY")).isTrue();
  }

  @Test
  void proxyUrlsReachToolsWithoutTheirUserInfo() {
    assertThat(rule.forTools("HTTPS_PROXY", "http://alice:s3cr3t@proxy.corp:3128"))
        .contains("http://proxy.corp:3128");
    assertThat(rule.forTools("http_proxy", "http://alice:s3cr3t@proxy.corp:3128/"))
        .contains("http://proxy.corp:3128/");
    assertThat(rule.forTools("All_Proxy", "socks5://tok@proxy.corp:1080")).contains("socks5://proxy.corp:1080");
    assertThat(rule.forTools("HTTPS_PROXY", "alice:pw@proxy.corp:3128")).contains("proxy.corp:3128");
    // an @ inside the password, which java.net.URI would refuse
    assertThat(rule.forTools("HTTPS_PROXY", "http://alice:p@ss@proxy.corp:3128")).contains("http://proxy.corp:3128");
    assertThat(rule.forTools("HTTPS_PROXY", "http://proxy.corp:3128")).contains("http://proxy.corp:3128");
    // an @ after the authority is not user info
    assertThat(rule.forTools("HTTP_PROXY", "http://proxy.corp:3128/?u=a@b")).contains("http://proxy.corp:3128/?u=a@b");
    assertThat(rule.forTools("NO_PROXY", "localhost,.corp")).contains("localhost,.corp");
  }

  @Test
  void secretValuesAreThoseOfSecretVariablesAndProxyUserInfo() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("docker_password", "hunter2-docker");
    env.put("CORP_LLM", "corp-key-value");
    env.put("HTTPS_PROXY", "http://alice:pr0xy-pass@proxy.corp:3128");
    env.put("USE_TOKEN", "true");
    env.put("SHORT_KEY", "abc");

    List<String> values = rule.withVariables(List.of("CORP_LLM")).secretValues(env);

    assertThat(values).containsExactlyInAnyOrder("hunter2-docker", "corp-key-value", "alice:pr0xy-pass",
        "pr0xy-pass");
    assertThat(rule.secretValues(env)).doesNotContain("corp-key-value");
  }
}
