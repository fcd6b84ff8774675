package dev.runner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
  void anAtSignInTheQueryIsNotTakenForUserInfo() {
    String text = "the answer of http://h.example/v1?user=a@b.example is not JSON";
    assertThat(redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void knownSecretsBearerTokensAndKeysStillGo() {
    assertThat(redactor.redact("Authorization: Bearer abc.def and sk-0123456789abcdef and env-secret-value"))
        .doesNotContain("abc.def", "sk-0123456789abcdef", "env-secret-value");
  }
}
