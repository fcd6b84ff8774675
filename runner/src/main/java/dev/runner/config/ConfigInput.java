package dev.runner.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link ConfigResolver} looks at, handed in by the CLI: the config package reads no
 * environment of its own.
 *
 * @param env environment variables: {@code CODEX_HOME} (default {@code HOME/.codex}) and {@code
 *     RUNNER_HOME} (default {@code HOME/.runner}) locate the two config files
 * @param home the user's home directory
 * @param workingDirectory base for relative {@code CODEX_HOME}, {@code RUNNER_HOME} and {@code -c
 *     ca_file=...}
 * @param model {@code -m}, if given
 * @param profile {@code -p}, if given
 * @param provider {@code --provider}, if given
 * @param transport {@code --transport}, if given
 * @param overrides {@code -c key=value} in command-line order
 * @param strict {@code --strict-config}: unknown keys are errors
 */
public record ConfigInput(
    Map<String, String> env,
    Path home,
    Path workingDirectory,
    Optional<String> model,
    Optional<String> profile,
    Optional<String> provider,
    Optional<TransportMode> transport,
    List<String> overrides,
    boolean strict) {

  public ConfigInput {
    env = Map.copyOf(env);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    overrides = List.copyOf(overrides);
  }

  /** No flags, no overrides. */
  public static ConfigInput of(Map<String, String> env, Path home, Path workingDirectory) {
    return new ConfigInput(
        env,
        home,
        workingDirectory,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        false);
  }

  public ConfigInput withModel(String m) {
    return new ConfigInput(env, home, workingDirectory, Optional.ofNullable(m), profile, provider,
        transport, overrides, strict);
  }

  public ConfigInput withProfile(String p) {
    return new ConfigInput(env, home, workingDirectory, model, Optional.ofNullable(p), provider,
        transport, overrides, strict);
  }

  public ConfigInput withProvider(String p) {
    return new ConfigInput(env, home, workingDirectory, model, profile, Optional.ofNullable(p),
        transport, overrides, strict);
  }

  public ConfigInput withTransport(TransportMode t) {
    return new ConfigInput(env, home, workingDirectory, model, profile, provider,
        Optional.ofNullable(t), overrides, strict);
  }

  public ConfigInput withOverrides(List<String> o) {
    return new ConfigInput(env, home, workingDirectory, model, profile, provider, transport, o,
        strict);
  }

  public ConfigInput withStrict(boolean s) {
    return new ConfigInput(env, home, workingDirectory, model, profile, provider, transport,
        overrides, s);
  }

  /** Lists flags and overrides but only the names of environment variables, never their values. */
  @Override
  public String toString() {
    return "ConfigInput[env=" + new java.util.TreeSet<>(env.keySet()) + ", home=" + home
        + ", workingDirectory=" + workingDirectory + ", model=" + model + ", profile=" + profile
        + ", provider=" + provider + ", transport=" + transport + ", overrides=" + overrides
        + ", strict=" + strict + "]";
  }

  /** {@code $CODEX_HOME/config.toml}. */
  public Path codexConfigFile() {
    return dir("CODEX_HOME", ".codex").resolve("config.toml");
  }

  /** {@code $RUNNER_HOME/config.toml}. */
  public Path runnerConfigFile() {
    return dir("RUNNER_HOME", ".runner").resolve("config.toml");
  }

  private Path dir(String variable, String inHome) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return home.resolve(inHome);
    }
    return workingDirectory.resolve(value.trim());
  }
}
