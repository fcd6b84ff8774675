package dev.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.environment.ShellEnvironmentPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code [shell_environment_policy]} and gathers the variables that hold a provider credential, for the secret
 * rule. Each policy key resolves on its own like any other key (the highest layer that sets it wins; {@code set}, a
 * table of strings, is taken whole from that layer, as {@code http_headers} is).
 */
final class EnvironmentResolver {
  static final String PREFIX = "shell_environment_policy";

  private EnvironmentResolver() {}

  static ShellEnvironmentPolicy policy(Layers layers, Map<String, Provenance> sources) {
    ShellEnvironmentPolicy d = ShellEnvironmentPolicy.DEFAULT;
    return new ShellEnvironmentPolicy(
        ShellEnvironmentPolicy.Inherit.of(layers.string(key("inherit"), d.inherit().label(), name("inherit"),
            sources)),
        layers.bool(key("ignore_default_excludes"), d.ignoreDefaultExcludes(), name("ignore_default_excludes"),
            sources),
        layers.stringList(key("exclude"), name("exclude"), sources),
        layers.stringMap(key("set"), name("set"), sources),
        layers.stringList(key("include_only"), name("include_only"), sources));
  }

  /**
   * Every {@code env_key} and {@code env_http_headers} variable of every provider in {@code layers} (top level and
   * every profile, selected or not), with the selected provider's key variables ({@code CODEX_API_KEY} for openai).
   * A variable that feeds any provider is a credential whichever provider this run uses.
   */
  static Set<String> credentialVariables(List<Layer> layers, ProviderConfig selected) {
    Set<String> names = new TreeSet<>(selected.apiKeyVariables());
    names.addAll(BuiltInProviders.OPENAI_KEY_FALLBACKS);
    names.addAll(selected.envHttpHeaders().values());
    for (Layer layer : layers) {
      JsonNode root = layer.document();
      collect(root.path("model_providers"), names);
      root.path("profiles").forEach(profile -> collect(profile.path("model_providers"), names));
    }
    names.removeIf(String::isBlank);
    return names;
  }

  private static void collect(JsonNode providers, Set<String> names) {
    providers.forEach(provider -> {
      JsonNode envKey = provider.path("env_key");
      if (envKey.isTextual()) {
        names.add(envKey.asText().trim());
      }
      provider.path("env_http_headers").forEach(variable -> {
        if (variable.isTextual()) {
          names.add(variable.asText().trim());
        }
      });
    });
  }

  private static List<String> key(String field) {
    return List.of(PREFIX, field);
  }

  private static String name(String field) {
    return PREFIX + "." + field;
  }
}
