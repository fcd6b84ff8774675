package dev.runner.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.environment.ShellEnvironmentPolicy.Inherit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellEnvironmentPolicyTest {
  private static final Map<String, String> ENV = Map.of(
      "PATH", "/usr/bin",
      "HOME", "/home/ci",
      "FOO", "bar",
      "Foo_Bar", "mixed",
      "KEYBOARD_LAYOUT", "us",
      "GITHUB_TOKEN", "ghs-secret",
      "CORP_LLM", "corp-secret",
      "HTTPS_PROXY", "http://u:proxy-pass@proxy:3128");
  private static final SecretRule RULE = SecretRule.standard().withVariables(List.of("CORP_LLM"));

  private static ShellEnvironmentPolicy policy(Inherit inherit, boolean ignoreDefaults, List<String> exclude,
      Map<String, String> set, List<String> includeOnly) {
    return new ShellEnvironmentPolicy(inherit, ignoreDefaults, exclude, set, includeOnly);
  }

  private static Map<String, String> apply(ShellEnvironmentPolicy policy) {
    return policy.apply(ENV, RULE).variables();
  }

  @Test
  void theDefaultInheritsAllButSecretsAndProxyUserInfo() {
    assertThat(apply(ShellEnvironmentPolicy.DEFAULT)).containsExactly(
        Map.entry("FOO", "bar"), Map.entry("Foo_Bar", "mixed"), Map.entry("HOME", "/home/ci"),
        Map.entry("HTTPS_PROXY", "http://proxy:3128"), Map.entry("KEYBOARD_LAYOUT", "us"),
        Map.entry("PATH", "/usr/bin"));
  }

  @Test
  void inheritCoreKeepsOnlyTheCoreNames() {
    assertThat(apply(policy(Inherit.CORE, true, List.of(), Map.of(), List.of())))
        .containsOnlyKeys("HOME", "PATH");
  }

  @Test
  void inheritNoneStartsEmpty() {
    assertThat(apply(policy(Inherit.NONE, true, List.of(), Map.of("ONLY", "yes"), List.of())))
        .containsExactly(Map.entry("ONLY", "yes"));
  }

  @Test
  void codexDefaultExcludesApplyOnlyWhenNotIgnored() {
    assertThat(apply(policy(Inherit.ALL, false, List.of(), Map.of(), List.of())))
        .doesNotContainKey("KEYBOARD_LAYOUT").containsKey("FOO");
    assertThat(apply(policy(Inherit.ALL, true, List.of(), Map.of(), List.of()))).containsKey("KEYBOARD_LAYOUT");
  }

  @Test
  void theSecretRuleHoldsEvenWithIgnoreDefaultExcludesAndInheritAll() {
    Map<String, String> env = apply(policy(Inherit.ALL, true, List.of(), Map.of(), List.of()));

    assertThat(env).doesNotContainKeys("GITHUB_TOKEN", "CORP_LLM");
    assertThat(env.values()).noneMatch(v -> v.contains("secret") || v.contains("proxy-pass"));
  }

  @Test
  void excludePatternsAreCaseInsensitiveGlobsOverTheWholeName() {
    assertThat(apply(policy(Inherit.ALL, true, List.of("foo*"), Map.of(), List.of())))
        .doesNotContainKeys("FOO", "Foo_Bar").containsKey("PATH");
    assertThat(apply(policy(Inherit.ALL, true, List.of("?OME"), Map.of(), List.of()))).doesNotContainKey("HOME");
    // a whole-name match: "OO" alone matches nothing; a dot is literal, not a regex wildcard
    assertThat(apply(policy(Inherit.ALL, true, List.of("OO", "F.O"), Map.of(), List.of()))).containsKey("FOO");
  }

  @Test
  void setComesAfterExcludeAndBeforeIncludeOnly() {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("FOO", "replaced");
    set.put("NEW_VAR", "42");
    Map<String, String> env = apply(policy(Inherit.ALL, true, List.of("FOO"), set, List.of("foo", "PATH")));

    // FOO: excluded, then set again, then kept by include_only; NEW_VAR: set, then dropped by include_only
    assertThat(env).containsExactly(Map.entry("FOO", "replaced"), Map.entry("PATH", "/usr/bin"));
  }

  @Test
  void includeOnlyCannotBringBackASecret() {
    assertThat(apply(policy(Inherit.ALL, true, List.of(), Map.of(), List.of("GITHUB_*", "CORP_*", "PATH"))))
        .containsOnlyKeys("PATH");
  }

  @Test
  void aSetSecretLookingValueIsTheUsersChoiceButAProviderVariableNeverReachesTools() {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("NPM_TOKEN", "given-on-purpose");
    set.put("corp_llm", "never");
    ToolEnvironment env = policy(Inherit.ALL, true, List.of(), set, List.of()).apply(ENV, RULE);

    assertThat(env.variables()).containsEntry("NPM_TOKEN", "given-on-purpose").doesNotContainKey("corp_llm");
    assertThat(env.refused()).containsExactly("corp_llm");
  }

  @Test
  void inheritLabelsAreCodexs() {
    assertThat(Inherit.of("core")).isEqualTo(Inherit.CORE);
    assertThat(Inherit.of("all")).isEqualTo(Inherit.ALL);
    assertThat(Inherit.of("none")).isEqualTo(Inherit.NONE);
    assertThatThrownBy(() -> Inherit.of("Core")).hasMessageContaining("all, core or none");
  }

  @Test
  void toStringShowsSetNamesNotValues() {
    assertThat(policy(Inherit.ALL, true, List.of(), Map.of("NPM_TOKEN", "given-on-purpose"), List.of()).toString())
        .contains("NPM_TOKEN").doesNotContain("given-on-purpose");
  }
}
