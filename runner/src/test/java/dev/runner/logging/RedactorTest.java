package dev.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.environment.SecretRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = new Redactor(List.of("env-secret-value"));

  @Test
  void userInfoInAUrlIsRedacted() {
    assertThat(redactor.redact("could not connect to https://alice:pa55word@gw.example:8443/v1 (refused)"))
        .isEqualTo("could not connect to https://[REDACTED]@gw.example:8443/v1 (refused)");
    assertThat(redactor.redact("proxy http://token@proxy.internal:3128 refused"))
        .isEqualTo("proxy http://[REDACTED]@proxy.internal:3128 refused");
  }

  @Test
  void queryValuesNamedLikeCredentialsAreRedactedOthersKept() {
    assertThat(
        redactor.redact("no answer from https://gw.example/openai/v1/responses?api-version=2025-04-01&key=abc123"))
        .isEqualTo("no answer from https://gw.example/openai/v1/responses?api-version=2025-04-01&key=[REDACTED]");
    assertThat(redactor.redact("wss://h.example/v1/responses?access_token=t0k3n&sig=s1g (HTTP 403)"))
        .isEqualTo("wss://h.example/v1/responses?access_token=[REDACTED]&sig=[REDACTED] (HTTP 403)");
  }

  @Test
  void aPasswordWithAnUnencodedAtSignIsRedactedWhole() {
    assertThat(redactor.redact("proxy http://jane:p@ss@proxy.corp:3128 refused"))
        .isEqualTo("proxy http://[REDACTED]@proxy.corp:3128 refused");
  }

  @Test
  void basicProxyCredentialsAreRedactedPastTheirScheme() {
    assertThat(redactor.redact("> Proxy-Authorization: Basic amFuZTpwQHNz"))
        .isEqualTo("> Proxy-Authorization: Basic [REDACTED]");
    assertThat(redactor.redact("authorization=Digest abc123")).isEqualTo("authorization=Digest [REDACTED]");
  }

  @Test
  void anAtSignInTheQueryIsNotTakenForUserInfo() {
    String text = "the answer of http://h.example/v1?user=a@b.example is not JSON";
    assertThat(redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void knownSecretsBearerTokensAndKeysStillGo() {
    assertThat(redactor.redact("Authorization: Bearer abc.def and sk-0123456789abcdef and env-secret-value"))
        .doesNotContain("abc.def", "sk-0123456789abcdef", "env-secret-value");
  }

  @Test
  void theValuesTheSecretRuleNamesAreRedactedAsTheToolEnvironmentDropsThem() {
    Map<String, String> env = Map.of("CORP_LLM", "corp-key-123456", "Docker_Password", "hunter2-docker",
        "HTTPS_PROXY", "http://alice:pr0xy-pass@proxy.corp:3128", "PATH", "/usr/local/bin:/usr/bin");
    Redactor configured = Redactor.fromEnvironment(env, SecretRule.standard().withVariables(List.of("CORP_LLM")));

    String line = "tool printed corp-key-123456 hunter2-docker pr0xy-pass from /usr/local/bin";
    assertThat(configured.redact(line)).doesNotContain("corp-key-123456", "hunter2-docker", "pr0xy-pass")
        .contains("/usr/local/bin");
    // the standard rule alone cannot know that CORP_LLM feeds a provider
    assertThat(Redactor.fromEnvironment(env).redact(line)).contains("corp-key-123456")
        .doesNotContain("hunter2-docker");
  }
}
