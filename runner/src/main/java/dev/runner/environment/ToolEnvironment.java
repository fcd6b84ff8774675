package dev.runner.environment;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variables tool commands get, made only by {@link ShellEnvironmentPolicy#apply}: holding one means the secret
 * rule has run. Immutable.
 */
public final class ToolEnvironment {
  private final Map<String, String> variables;
  private final List<String> refused;

  ToolEnvironment(Map<String, String> variables, List<String> refused) {
    this.variables = Collections.unmodifiableMap(new TreeMap<>(variables));
    this.refused = List.copyOf(refused);
  }

  /** The runner's {@code environment} under codex's default policy and the standard rule. */
  public static ToolEnvironment of(Map<String, String> environment) {
    return ShellEnvironmentPolicy.DEFAULT.apply(environment, SecretRule.standard());
  }

  /** Name to value, sorted by name. */
  public Map<String, String> variables() {
    return variables;
  }

  /**
   * Names the policy's {@code set} gave that were left out because they are a provider's key or header variable,
   * for a warning.
   */
  public List<String> refused() {
    return refused;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ToolEnvironment other && other.variables.equals(variables);
  }

  @Override
  public int hashCode() {
    return variables.hashCode();
  }

  /** Names only: values may be anything the user set. */
  @Override
  public String toString() {
    return "ToolEnvironment" + variables.keySet();
  }
}
