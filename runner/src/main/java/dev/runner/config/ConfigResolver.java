package dev.runner.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.runner.RunnerException;
import dev.runner.logging.Log;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves a {@link RunConfig}. Precedence, lowest first: built-in providers and defaults, {@code
 * $CODEX_HOME/config.toml}, {@code $RUNNER_HOME/config.toml}, the selected profile (codex's
 * {@code [profiles.NAME]}, then the runner's), {@code -c} overrides, flags. Missing files are
 * skipped; keys the runner does not use are collected (errors with {@code --strict-config}).
 *
 * <p>Failure modes, each a {@link RunnerException} with exit code 2: unreadable file or TOML
 * syntax error (file, line, column); a value of the wrong type (full key, expected type,
 * FILE:LINE); unknown profile or provider (with the known ones); a bad {@code -c} (usage). A
 * missing API key is not an error here: see {@link ProviderConfig#resolveApiKey}.
 */
public final class ConfigResolver {
  /** The model when nothing sets {@code model}; codex's coding model at the time of writing. */
  public static final String DEFAULT_MODEL = "gpt-5.1-codex";

  /** The provider when nothing sets {@code model_provider}, as in codex. */
  public static final String DEFAULT_PROVIDER = BuiltInProviders.OPENAI;

  private static final Log LOG = Log.of("config");

  private ConfigResolver() {}

  public static RunConfig resolve(ConfigInput in) {
    return resolve(in, false);
  }

  /**
   * As {@link #resolve(ConfigInput)}; with {@code ignoreUserConfig} (codex's {@code --ignore-user-config}) neither
   * {@code config.toml} is read, so only built-ins, {@code -c} and flags apply.
   */
  public static RunConfig resolve(ConfigInput in, boolean ignoreUserConfig) {
    TomlMapper toml = Toml.MAPPER;
    List<ConfigFile> files = new ArrayList<>();
    if (!ignoreUserConfig) {
      ConfigFile.read(in.codexConfigFile(), toml).ifPresent(files::add);
    }
    if (!ignoreUserConfig && !same(in.codexConfigFile(), in.runnerConfigFile())) {
      ConfigFile.read(in.runnerConfigFile(), toml).ifPresent(files::add);
    }
    List<UnknownKey> unknown = new ArrayList<>();
    List<Layer> userLayers = new ArrayList<>();
    userLayers.add(Layer.overrides(Overrides.parse(in.overrides(), toml)));
    for (ConfigFile file : files.reversed()) {
      userLayers.add(Layer.file(file));
    }
    for (Layer layer : userLayers.reversed()) {
      ConfigSchema.check(layer, unknown);
    }
    Layer flags = flags(in, toml);
    List<Layer> base = new ArrayList<>();
    base.add(flags);
    base.addAll(userLayers);
    base.add(BuiltInProviders.layer());

    Map<String, Provenance> sources = new LinkedHashMap<>();
    Optional<String> profile = new Layers(base).optionalString(List.of("profile"), "profile", sources);
    List<Layer> all = new ArrayList<>();
    all.add(flags);
    all.add(userLayers.getFirst());
    if (profile.isPresent()) {
      // codex 0.169's -p NAME layers $CODEX_HOME/NAME.config.toml on the user config; [profiles.NAME] tables are the
      // older form. Either may exist; the file's values win over the tables'.
      Optional<ConfigFile> profileFile = ignoreUserConfig
          ? Optional.empty()
          : ConfigFile.read(in.codexConfigFile().resolveSibling(profile.get() + ".config.toml"), toml);
      profileFile.ifPresent(f -> {
        Layer layer = Layer.file(f);
        ConfigSchema.check(layer, unknown);
        all.add(layer);
        files.add(f);
      });
      all.addAll(profileLayers(profile.get(), userLayers, sources, profileFile.isPresent()));
    }
    all.addAll(base.subList(2, base.size()));
    Layers layers = new Layers(all);

    if (in.strict() && !unknown.isEmpty()) {
      throw RunnerException.config(
          "unknown config keys (--strict-config): "
              + unknown.stream().map(UnknownKey::toString).collect(Collectors.joining(", ")),
          "remove them, or drop --strict-config to ignore them");
    }
    if (!unknown.isEmpty()) {
      LOG.debug(() -> "ignored config keys the runner does not use: " + unknown);
    }
    LOG.debug(() -> "config files read: " + files.stream().map(ConfigFile::path).toList());

    String model = layers.string(List.of("model"), DEFAULT_MODEL, "model", sources);
    String providerId = layers.string(
        List.of("model_provider"), DEFAULT_PROVIDER, "model_provider", sources);
    TreeSet<String> known = layers.keysUnder(List.of("model_providers"));
    known.addAll(BuiltInProviders.ids());
    if (!known.contains(providerId)) {
      throw RunnerException.config(
          "unknown model provider '" + providerId + "' (" + origin(sources.get("model_provider"))
              + "); known providers: " + String.join(", ", known),
          "pick one of those, or define [model_providers." + providerId
              + "] with a base_url in config.toml");
    }
    ProviderConfig provider = ProviderResolver.resolve(layers, providerId, in.workingDirectory());
    TransportDecision transport = TransportChoice.decide(
        layers.all(List.of("transport")).stream()
            .map(f -> new TransportChoice.Level(
                TransportMode.parse(f.value().asText()).orElseThrow(), f.source()))
            .toList(),
        providerId,
        provider.supportsWebsockets(),
        provider.source("supports_websockets"));
    sources.put("transport", transport.source());

    long toolLimit = layers.number(
        List.of("tool_output_token_limit"), 10_000, "tool_output_token_limit", sources);
    OptionalLong compact = layers.get(
        List.of("model_auto_compact_token_limit"), "model_auto_compact_token_limit", sources)
        .map(f -> OptionalLong.of(f.value().asLong()))
        .orElse(OptionalLong.empty());
    EmulatorSettings emulator = new EmulatorSettings(
        layers.string(List.of("emulator", "scenario"), "demo", "emulator.scenario", sources),
        EmulatorSettings.Latency.of(
            layers.string(List.of("emulator", "latency"), "zero", "emulator.latency", sources)),
        layers.string(List.of("emulator", "faults"), "", "emulator.faults", sources),
        layers.number(List.of("emulator", "seed"), EmulatorSettings.DEFAULTS.seed(), "emulator.seed", sources));
    return new RunConfig(
        model,
        profile,
        provider,
        transport,
        toolLimit,
        compact,
        emulator,
        EnvironmentResolver.policy(layers, sources),
        credentials(base, provider),
        new SandboxPaths(
            sandboxPaths(layers, "hide", sources), sandboxPaths(layers, "expose", sources)),
        McpServersResolver.resolve(layers, sources),
        files.stream().map(ConfigFile::path).toList(),
        unknown,
        sources,
        CodexKeys.resolve(layers, sources),
        layers.optionalString(List.of("metrics_push_url"), "metrics_push_url", sources),
        layers.bool(List.of("store_responses"), false, "store_responses", sources)
            && !layers.bool(List.of("disable_response_storage"), false, "disable_response_storage", sources));
  }

  /** The providers' key and header variables and the MCP servers' bearer-token variables. */
  private static java.util.Set<String> credentials(List<Layer> layers, ProviderConfig provider) {
    java.util.Set<String> names = new TreeSet<>(EnvironmentResolver.credentialVariables(layers, provider));
    names.addAll(McpServersResolver.credentialVariables(layers));
    return names;
  }

  private static List<String> sandboxPaths(
      Layers layers, String field, Map<String, Provenance> sources) {
    String key = "sandbox_paths." + field;
    List<String> paths = layers.stringList(List.of("sandbox_paths", field), key, sources);
    for (String p : paths) {
      if (!p.equals("~") && !p.startsWith("~/") && !p.startsWith("/")) {
        throw RunnerException.config(
            key + ": '" + p + "' is neither absolute nor under ~/ (" + origin(sources.get(key)) + ")",
            "write it as /absolute/path, ~ or ~/path (the commands' $HOME)");
      }
    }
    return paths;
  }

  /** The profile's tables, highest precedence first ({@code -c}, runner file, codex file). */
  private static List<Layer> profileLayers(
      String name, List<Layer> userLayers, Map<String, Provenance> sources, boolean fileFound) {
    List<Layer> found = userLayers.stream().map(l -> l.profile(name))
        .filter(java.util.Objects::nonNull)
        .toList();
    if (found.isEmpty() && !fileFound) {
      TreeSet<String> known = new Layers(userLayers).keysUnder(List.of("profiles"));
      throw RunnerException.config(
          "unknown profile '" + name + "' (" + origin(sources.get("profile")) + "); "
              + (known.isEmpty() ? "no profiles are defined" : "known profiles: " + String.join(", ", known)),
          "define [profiles." + name + "] in config.toml or write $CODEX_HOME/" + name
              + ".config.toml, or pick a known profile");
    }
    return found;
  }

  private static Layer flags(ConfigInput in, TomlMapper toml) {
    ObjectNode tree = toml.createObjectNode();
    Map<String, String> options = new LinkedHashMap<>();
    in.model().ifPresent(m -> tree.put("model", m));
    in.profile().ifPresent(p -> tree.put("profile", p));
    in.provider().ifPresent(p -> tree.put("model_provider", p));
    in.transport().ifPresent(t -> tree.put("transport", t.label()));
    options.put("model", "-m");
    options.put("profile", "-p");
    options.put("model_provider", "--provider");
    options.put("transport", "--transport");
    return Layer.flags(tree, path -> options.getOrDefault(path.getFirst(), "flag"));
  }

  /** Like {@link Provenance#toString()}, but names the flag ({@code --provider}). */
  private static String origin(Provenance p) {
    return p instanceof Provenance.Flag f ? f.option() : p.toString();
  }

  private static boolean same(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
