package dev.runner.tools;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Removes credentials from the environment handed to model-run commands, so a command the model
 * writes cannot read the runner's API key.
 */
final class EnvironmentFilter {
  private EnvironmentFilter() {}

  /** True for names that hold a credential: {@code *_API_KEY}, {@code *_TOKEN}, {@code *_SECRET}. */
  static boolean isSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.endsWith("_API_KEY")
        || upper.endsWith("_TOKEN")
        || upper.endsWith("_SECRET")
        || upper.equals("CODEX_API_KEY")
        || upper.equals("OPENAI_API_KEY");
  }

  /** A copy of {@code environment} without the credential variables. */
  static Map<String, String> withoutSecrets(Map<String, String> environment) {
    Map<String, String> kept = new TreeMap<>();
    environment.forEach(
        (k, v) -> {
          if (!isSecret(k)) {
            kept.put(k, v);
          }
        });
    return kept;
  }
}
