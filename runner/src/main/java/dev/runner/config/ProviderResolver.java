package dev.runner.config;

import dev.runner.RunnerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the selected {@link ProviderConfig} from the layers and checks what types cannot. */
final class ProviderResolver {
  private final Layers layers;
  private final String id;
  private final Path workingDirectory;
  private final Map<String, Provenance> sources = new LinkedHashMap<>();

  private ProviderResolver(Layers layers, String id, Path workingDirectory) {
    this.layers = layers;
    this.id = id;
    this.workingDirectory = workingDirectory;
  }

  /**
   * @throws RunnerException (config) when the provider has no usable {@code base_url}, speaks
   *     another {@code wire_api}, or has impossible limits
   */
  static ProviderConfig resolve(Layers layers, String id, Path workingDirectory) {
    return new ProviderResolver(layers, id, workingDirectory).build();
  }

  private ProviderConfig build() {
    String name = layers.string(key("name"), id, "name", sources);
    Optional<String> baseUrl = baseUrl();
    Optional<String> envKey = layers.optionalString(key("env_key"), "env_key", sources)
        .filter(s -> !s.isBlank());
    List<String> fallbacks = BuiltInProviders.OPENAI.equals(id)
        && sources.get("env_key") instanceof Provenance.BuiltIn
            ? BuiltInProviders.OPENAI_KEY_FALLBACKS
            : List.of();
    String wireApi = layers.string(key("wire_api"), "responses", "wire_api", sources);
    if (!wireApi.equals("responses")) {
      throw error("wire_api", "the runner speaks only the Responses API (\"responses\"), got \""
          + wireApi + "\"", "set wire_api = \"responses\" or remove it");
    }
    int maxConnections = (int) number("max_connections", 16);
    if (maxConnections < 1) {
      throw error("max_connections", "expected at least 1, got 0", "set max_connections >= 1");
    }
    Duration maxAge = millis("websocket_max_age_ms", 3_600_000);
    Duration margin = millis("websocket_rotation_margin_ms", 300_000);
    if (margin.compareTo(maxAge) >= 0) {
      throw error("websocket_rotation_margin_ms", "must be less than websocket_max_age_ms ("
          + maxAge.toMillis() + "), got " + margin.toMillis(), "lower the margin");
    }
    Duration keepalive = millis("websocket_keepalive_ms", 30_000);
    if (keepalive.isNegative()) {
      throw error("websocket_keepalive_ms", "expected 0 (no pings) or more, got " + keepalive.toMillis(),
          "set websocket_keepalive_ms = 30000, or 0 to turn pings off");
    }
    return new ProviderConfig(
        id,
        name,
        baseUrl,
        envKey,
        fallbacks,
        layers.optionalString(key("env_key_instructions"), "env_key_instructions", sources),
        wireApi,
        layers.stringMap(key("query_params"), "query_params", sources),
        layers.stringMap(key("http_headers"), "http_headers", sources),
        layers.stringMap(key("env_http_headers"), "env_http_headers", sources),
        (int) number("request_max_retries", 4),
        (int) number("stream_max_retries", 5),
        millis("stream_idle_timeout_ms", 300_000),
        millis("websocket_connect_timeout_ms", 15_000),
        layers.bool(key("supports_websockets"), false, "supports_websockets", sources),
        layers.bool(key("websocket_lanes"), false, "websocket_lanes", sources),
        layers.bool(key("websocket_warmup"), false, "websocket_warmup", sources),
        maxAge,
        margin,
        keepalive,
        maxConnections,
        caFile(),
        sources);
  }

  private Optional<String> baseUrl() {
    Optional<Layers.Found> found = layers.get(key("base_url"), "base_url", sources);
    if (found.isEmpty()) {
      if (BuiltInProviders.EMULATOR.equals(id)) {
        return Optional.empty();
      }
      throw RunnerException.config(
          "provider '" + id + "' has no base_url" + definedAt(),
          "set base_url in [model_providers." + id + "], e.g. base_url = \"http://127.0.0.1:8080/v1\"");
    }
    String text = found.get().value().asText().trim();
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      if (uri.getHost() != null && ("http".equalsIgnoreCase(scheme)
          || "https".equalsIgnoreCase(scheme))) {
        return Optional.of(text.replaceAll("/+$", ""));
      }
    } catch (URISyntaxException e) {
      // reported below with the key and where it was set
    }
    throw error("base_url", "expected an http(s) URL, got \"" + text + "\"",
        "write it like https://api.openai.com/v1");
  }

  private Optional<Path> caFile() {
    return layers.get(key("ca_file"), "ca_file", sources).map(f -> {
      Path path = Path.of(f.value().asText());
      Path base = switch (f.source()) {
        case Provenance.InFile in -> in.file().toAbsolutePath().getParent();
        case Provenance.InProfile in -> in.file().toAbsolutePath().getParent();
        default -> workingDirectory;
      };
      return base.resolve(path);
    });
  }

  private long number(String field, long fallback) {
    return layers.number(key(field), fallback, field, sources);
  }

  private Duration millis(String field, long fallback) {
    return Duration.ofMillis(number(field, fallback));
  }

  private String definedAt() {
    return layers.find(List.of("model_providers", id))
        .map(f -> " (" + f.source() + ")")
        .orElse("");
  }

  private RunnerException error(String field, String problem, String hint) {
    Provenance where = sources.getOrDefault(field, Provenance.DEFAULT);
    return RunnerException.config(
        "model_providers." + id + "." + field + ": " + problem + " (" + where + ")", hint);
  }

  private List<String> key(String field) {
    return List.of("model_providers", id, field);
  }
}
