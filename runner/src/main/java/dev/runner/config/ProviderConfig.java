package dev.runner.config;

import dev.runner.RunnerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The selected model provider, {@code [model_providers.ID]} merged over the built-ins. Holds the
 * name of the API-key variable, never its value: {@link #resolveApiKey} reads it where a request
 * is built.
 *
 * <p>Codex keys (PROTOCOL.md §3) and the runner's own ({@code websocket_lanes} to {@code ca_file})
 * map one to one onto the components; defaults in brackets.
 *
 * @param id the provider id ({@code openai}, {@code emulator} or a config table name)
 * @param name {@code name} [the id]
 * @param baseUrl {@code base_url} without trailing slashes; empty only for the embedded {@code
 *     emulator} (see {@link #embedded()})
 * @param envKey {@code env_key}: the variable holding the API key; empty when the provider needs
 *     no key
 * @param envKeyFallbacks variables tried after {@code envKey} ({@code CODEX_API_KEY} for the
 *     built-in openai)
 * @param envKeyInstructions {@code env_key_instructions}, shown when the key is missing
 * @param wireApi {@code wire_api} [responses]; always "responses" once resolved
 * @param queryParams {@code query_params} added to every request URL
 * @param httpHeaders {@code http_headers} sent with every request
 * @param envHttpHeaders {@code env_http_headers}: header name to the variable holding its value
 * @param requestMaxRetries {@code request_max_retries} [4]: transport retries for 5xx/network
 * @param streamMaxRetries {@code stream_max_retries} [5]: turn retries for broken streams
 * @param streamIdleTimeout {@code stream_idle_timeout_ms} [300000]
 * @param websocketConnectTimeout {@code websocket_connect_timeout_ms} [15000]
 * @param supportsWebsockets {@code supports_websockets} [false; true for openai and emulator]
 * @param websocketLanes {@code websocket_lanes} [false; true for emulator]: runner key; the
 *     provider multiplexes up to 16 conversations on one socket by {@code stream_id}
 * @param websocketWarmup {@code websocket_warmup} [false]: runner key; send a {@code
 *     generate:false} request when a socket opens
 * @param websocketMaxAge {@code websocket_max_age_ms} [3600000]: runner key; the server's limit
 *     on a socket's life
 * @param websocketRotationMargin {@code websocket_rotation_margin_ms} [300000]: runner key; open a
 *     fresh socket this long before {@code websocketMaxAge}
 * @param websocketKeepalive {@code websocket_keepalive_ms} [30000]: runner key; ping an open WebSocket this often
 *     (busy, waiting on tools or idle in the pool) and replace it when a pong does not come back; 0 turns pings off
 * @param maxConnections {@code max_connections} [16]: runner key; most sockets or HTTP
 *     connections open to this provider, at least 1
 * @param caFile {@code ca_file}: runner key; a PEM file of extra trusted CAs (a relative path is
 *     resolved against the directory of the file that set it, or the working directory for
 *     {@code -c})
 * @param sources where each field came from, by TOML key ({@code base_url}, ...)
 */
public record ProviderConfig(
    String id,
    String name,
    Optional<String> baseUrl,
    Optional<String> envKey,
    List<String> envKeyFallbacks,
    Optional<String> envKeyInstructions,
    String wireApi,
    Map<String, String> queryParams,
    Map<String, String> httpHeaders,
    Map<String, String> envHttpHeaders,
    int requestMaxRetries,
    int streamMaxRetries,
    Duration streamIdleTimeout,
    Duration websocketConnectTimeout,
    boolean supportsWebsockets,
    boolean websocketLanes,
    boolean websocketWarmup,
    Duration websocketMaxAge,
    Duration websocketRotationMargin,
    Duration websocketKeepalive,
    int maxConnections,
    Optional<Path> caFile,
    Map<String, Provenance> sources) {

  public ProviderConfig {
    envKeyFallbacks = List.copyOf(envKeyFallbacks);
    queryParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queryParams));
    httpHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(httpHeaders));
    envHttpHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(envHttpHeaders));
    sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** True for the built-in emulator without a {@code base_url}: start it in-process. */
  public boolean embedded() {
    return baseUrl.isEmpty();
  }

  /** Where the field with TOML key {@code key} came from ({@link Provenance#DEFAULT} if unset). */
  public Provenance source(String key) {
    return sources.getOrDefault(key, Provenance.DEFAULT);
  }

  /** The variables that may hold the key, in the order they are tried. */
  public List<String> apiKeyVariables() {
    List<String> names = new ArrayList<>();
    envKey.ifPresent(names::add);
    if (envKey.isPresent()) {
      names.addAll(envKeyFallbacks);
    }
    return names;
  }

  /** The variable that holds the key in {@code env}, if any; never the value. */
  public Optional<String> apiKeyVariable(Map<String, String> env) {
    return apiKeyVariables().stream()
        .filter(v -> env.get(v) != null && !env.get(v).isBlank())
        .findFirst();
  }

  /** The API key from {@code env}, or empty when the provider needs none or it is unset. */
  public Optional<String> apiKey(Map<String, String> env) {
    return apiKeyVariable(env).map(v -> env.get(v).trim());
  }

  /**
   * The key a request needs: empty when the provider sets no {@code env_key}.
   *
   * @throws RunnerException (config) naming the variable to set (and {@code
   *     env_key_instructions}) when {@code env_key} is set but no variable holds a value
   */
  public Optional<String> resolveApiKey(Map<String, String> env) {
    if (envKey.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> key = apiKey(env);
    if (key.isPresent()) {
      return key;
    }
    String vars = String.join(" or ", apiKeyVariables());
    String hint = "export " + envKey.get() + "=<your key>" + envKeyInstructions.map(i -> "; " + i).orElse("");
    throw RunnerException.config(
        "provider '" + id + "' needs an API key: " + vars + " is not set", hint);
  }

  /** Headers from {@code env_http_headers} whose variables are set in {@code env}. */
  public Map<String, String> envHeaders(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    envHttpHeaders.forEach((header, variable) -> {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        out.put(header, value.trim());
      }
    });
    return out;
  }

  /** A one-line summary without any secret. */
  @Override
  public String toString() {
    return "ProviderConfig[" + id + ", " + baseUrl.orElse("embedded") + "]";
  }
}
