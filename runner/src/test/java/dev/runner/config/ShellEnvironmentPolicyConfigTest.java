package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.environment.ShellEnvironmentPolicy;
import dev.runner.environment.ShellEnvironmentPolicy.Inherit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [shell_environment_policy]} and the providers' credential variables, as the resolver reads them. */
class ShellEnvironmentPolicyConfigTest {
  @TempDir
  Path tmp;

  private Path codex;
  private Path runner;

  @BeforeEach
  void homes() throws IOException {
    codex = Files.createDirectories(tmp.resolve("codex-home"));
    runner = Files.createDirectories(tmp.resolve("runner-home"));
  }

  private ConfigInput input(String... overrides) {
    return ConfigInput.of(Map.of("CODEX_HOME", codex.toString(), "RUNNER_HOME", runner.toString()),
        tmp.resolve("home"), tmp).withOverrides(List.of(overrides));
  }

  private Path write(Path dir, String toml) throws IOException {
    return Files.writeString(dir.resolve("config.toml"), toml);
  }

  @Test
  void withoutTheTableCodexsDefaultsApply() {
    RunConfig c = ConfigResolver.resolve(input());
    assertThat(c.shellEnvironmentPolicy()).isEqualTo(ShellEnvironmentPolicy.DEFAULT);
    assertThat(c.source("shell_environment_policy.inherit")).isEqualTo(Provenance.DEFAULT);
  }

  @Test
  void everyCodexKeyIsReadWithWhereItCameFrom() throws IOException {
    Path file = write(codex, """
        model = "m"

        [shell_environment_policy]
        inherit = "core"
        ignore_default_excludes = false
        exclude = ["AWS_*", "AZURE_*"]
        set = { CI = "1", NPM_TOKEN = "given" }
        include_only = ["PATH", "HOME", "CI"]
        experimental_use_profile = false
        """);
    RunConfig c = ConfigResolver.resolve(input());
    ShellEnvironmentPolicy p = c.shellEnvironmentPolicy();

    assertThat(p.inherit()).isEqualTo(Inherit.CORE);
    assertThat(p.ignoreDefaultExcludes()).isFalse();
    assertThat(p.exclude()).containsExactly("AWS_*", "AZURE_*");
    assertThat(p.set()).containsExactly(Map.entry("CI", "1"), Map.entry("NPM_TOKEN", "given"));
    assertThat(p.includeOnly()).containsExactly("PATH", "HOME", "CI");
    assertThat(c.source("shell_environment_policy.inherit")).hasToString(file + ":4");
    assertThat(c.source("shell_environment_policy.exclude")).hasToString(file + ":6");
    assertThat(c.source("shell_environment_policy.set")).hasToString(file + ":7");
    // codex's own key, which the runner does not use, is listed like any other
    assertThat(c.unknownKeys()).extracting(UnknownKey::key)
        .containsExactly("shell_environment_policy.experimental_use_profile");
  }

  @Test
  void eachKeyResolvesOnItsOwnAcrossLayers() throws IOException {
    write(codex, """
        [shell_environment_policy]
        inherit = "none"
        set = { A = "1" }
        """);
    write(runner, """
        [shell_environment_policy]
        set = { B = "2" }
        """);
    RunConfig c = ConfigResolver.resolve(input("shell_environment_policy.exclude=[\"X*\"]"));
    ShellEnvironmentPolicy p = c.shellEnvironmentPolicy();

    assertThat(p.inherit()).isEqualTo(Inherit.NONE);
    // a table of strings comes whole from the highest layer that sets it, as http_headers does
    assertThat(p.set()).containsExactly(Map.entry("B", "2"));
    assertThat(p.exclude()).containsExactly("X*");
    assertThat(c.source("shell_environment_policy.exclude")).isEqualTo(new Provenance.ConfigOverride(
        List.of("shell_environment_policy", "exclude")));
  }

  @Test
  void aProfileMaySetThePolicy() throws IOException {
    write(codex, """
        profile = "ci"
        [profiles.ci.shell_environment_policy]
        inherit = "core"
        """);
    assertThat(ConfigResolver.resolve(input()).shellEnvironmentPolicy().inherit()).isEqualTo(Inherit.CORE);
  }

  @Test
  void wrongTypesNameTheKeyAndFileLine() throws IOException {
    Path file = write(codex, """
        model = "m"
        [shell_environment_policy]
        inherit = "everything"
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .isInstanceOfSatisfying(RunnerException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("shell_environment_policy.inherit: expected one of all, core, none, got string \"everything\" ("
            + file + ":3)");

    write(codex, """
        [shell_environment_policy]
        ignore_default_excludes = "no"
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .hasMessage("shell_environment_policy.ignore_default_excludes: expected a boolean, got string \"no\" ("
            + file + ":2)");

    write(codex, """
        [shell_environment_policy]

        exclude = ["A*", 3]
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .hasMessage("shell_environment_policy.exclude[1]: expected a string, got integer 3 (" + file + ":3)");

    write(codex, """
        [shell_environment_policy]
        include_only = "PATH"
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .hasMessage("shell_environment_policy.include_only: expected an array of strings, got string \"PATH\" ("
            + file + ":2)");

    write(codex, """
        [shell_environment_policy]
        set = { CI = true }
        """);
    assertThatThrownBy(() -> ConfigResolver.resolve(input()))
        .hasMessage("shell_environment_policy.set.CI: expected a string, got boolean true (" + file + ":2)");

    write(codex, "");
    assertThatThrownBy(() -> ConfigResolver.resolve(input("shell_environment_policy.set=3")))
        .hasMessageContaining("shell_environment_policy.set: expected a table of strings, got integer 3 (-c)");
  }

  @Test
  void everyProvidersKeyAndHeaderVariablesAreCredentials() throws IOException {
    write(codex, """
        model_provider = "corp"
        [model_providers.corp]
        base_url = "https://llm.corp.example/v1"
        env_key = "CORP_LLM_KEY"
        env_http_headers = { "X-Trace" = "CI_TRACE_ID" }

        [model_providers.other]
        base_url = "https://other.example/v1"
        env_key = "OTHER_GATEWAY"

        [profiles.nightly.model_providers.night]
        base_url = "https://night.example/v1"
        env_http_headers = { "X-Org" = "NIGHT_ORG" }
        """);
    RunConfig c = ConfigResolver.resolve(input("model_providers.dashc.env_key=DASHC_VAR",
        "model_providers.dashc.base_url=\"http://127.0.0.1:1\""));

    assertThat(c.credentialVariables()).contains("CORP_LLM_KEY", "CI_TRACE_ID", "OTHER_GATEWAY", "NIGHT_ORG",
        "DASHC_VAR", "OPENAI_API_KEY", "CODEX_API_KEY");
    assertThat(c.secretRule().isSecret("OTHER_GATEWAY")).isTrue();
    assertThat(c.secretRule().isProviderVariable("ci_trace_id")).isTrue();
    assertThat(c.secretRule().isSecret("CI_TRACE")).isFalse();
  }
}
