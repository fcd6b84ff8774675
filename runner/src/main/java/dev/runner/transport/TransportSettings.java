package dev.runner.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything a transport needs about one provider, resolved by the CLI from the configuration. Immutable. The API key
 * is a supplier read only where a request is built; it never appears in {@link #toString()}.
 *
 * @param providerId provider id, used in pool names and tags
 * @param baseUrl e.g. {@code https://api.openai.com/v1} (no trailing slash needed)
 * @param queryParams appended to every request URL as {@code ?k=v}
 * @param headers static headers ({@code http_headers})
 * @param envHeaders headers whose values came from the environment ({@code env_http_headers}), already resolved
 * @param apiKey supplies the bearer token, or null for none; never logged
 * @param requestMaxRetries retries for connect errors, 5xx, 408, 409, 429 and IO errors (default 4)
 * @param streamMaxRetries retries for broken streams: EOF before a terminal event, malformed event, idle timeout
 *     (default 5)
 * @param streamIdleTimeout longest wait between two events (default 300 s)
 * @param websocketConnectTimeout longest wait for a WebSocket handshake (default 15 s)
 * @param websocketLanes whether concurrent sessions may share one socket through {@code stream_id} lanes
 * @param warmup whether a WebSocket session starts with a {@code generate:false} warm-up request
 * @param websocketMaxAge the service closes sockets after this long (default 60 min)
 * @param websocketRotationMargin rotate a socket at a turn boundary once older than max age minus this (default 5 min)
 * @param maxConnections the most connections the provider's pool opens (default 16)
 * @param caCertificate a PEM file of trusted CAs, or null for the system trust store
 * @param proxy proxy settings from {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code NO_PROXY}
 * @param websocketKeepalive ping interval of an open WebSocket, zero for none (default 30 s: under the 60 s idle limit
 *     common to proxies and load balancers)
 */
public record TransportSettings(
    String providerId,
    String baseUrl,
    Map<String, String> queryParams,
    Map<String, String> headers,
    Map<String, String> envHeaders,
    Supplier<String> apiKey,
    int requestMaxRetries,
    int streamMaxRetries,
    Duration streamIdleTimeout,
    Duration websocketConnectTimeout,
    boolean websocketLanes,
    boolean warmup,
    Duration websocketMaxAge,
    Duration websocketRotationMargin,
    int maxConnections,
    Path caCertificate,
    ProxySettings proxy,
    Duration websocketKeepalive) {

  public TransportSettings {
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(baseUrl, "baseUrl");
    queryParams = Map.copyOf(queryParams);
    headers = Map.copyOf(headers);
    envHeaders = Map.copyOf(envHeaders);
    proxy = proxy == null ? ProxySettings.NONE : proxy;
    websocketKeepalive = websocketKeepalive == null ? Duration.ZERO : websocketKeepalive;
    if (websocketKeepalive.isNegative()) {
      throw new IllegalArgumentException("websocketKeepalive must be >= 0, was " + websocketKeepalive);
    }
    if (requestMaxRetries < 0 || streamMaxRetries < 0 || maxConnections < 1) {
      throw new IllegalArgumentException("retries must be >= 0 and maxConnections >= 1");
    }
  }

  /** The default {@link #websocketKeepalive}. */
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);

  public static Builder builder(String providerId, String baseUrl) {
    return new Builder(providerId, baseUrl);
  }

  /** The CA file to trust: the configured one, else {@code SSL_CERT_FILE}, else null (system trust). */
  public static Path trustFile(String configured, String sslCertFileEnv) {
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return sslCertFileEnv == null || sslCertFileEnv.isBlank() ? null : Path.of(sslCertFileEnv);
  }

  /** The URL of {@code path} under the base URL with the query parameters, for {@code http}/{@code https}. */
  public String url(String path) {
    StringBuilder sb = new StringBuilder(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    sb.append(path);
    char sep = sb.indexOf("?") >= 0 ? '&' : '?';
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(queryParams).entrySet()) {
      sb.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  /** All extra headers, static first, then the ones from the environment (which win on a clash). */
  public Map<String, String> allHeaders() {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(envHeaders);
    return all;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TransportSettings[provider=" + providerId + ", baseUrl=" + baseUrl + ", headers=" + headers.keySet()
        + ", envHeaders=" + envHeaders.keySet() + ", apiKey=" + (apiKey == null ? "none" : "[REDACTED]")
        + ", requestMaxRetries=" + requestMaxRetries + ", streamMaxRetries=" + streamMaxRetries + ", idle="
        + streamIdleTimeout + ", lanes=" + websocketLanes + ", warmup=" + warmup + ", maxConnections="
        + maxConnections + ", ca=" + caCertificate + ", proxy=" + proxy + "]";
  }

  /** Builds settings with the documented defaults. */
  public static final class Builder {
    private final String providerId;
    private final String baseUrl;
    private Map<String, String> queryParams = Map.of();
    private Map<String, String> headers = Map.of();
    private Map<String, String> envHeaders = Map.of();
    private Supplier<String> apiKey;
    private int requestMaxRetries = 4;
    private int streamMaxRetries = 5;
    private Duration streamIdleTimeout = Duration.ofSeconds(300);
    private Duration websocketConnectTimeout = Duration.ofSeconds(15);
    private boolean websocketLanes;
    private boolean warmup;
    private Duration websocketMaxAge = Duration.ofMinutes(60);
    private Duration websocketRotationMargin = Duration.ofMinutes(5);
    private int maxConnections = 16;
    private Path caCertificate;
    private ProxySettings proxy = ProxySettings.NONE;
    private Duration websocketKeepalive = DEFAULT_KEEPALIVE;

    private Builder(String providerId, String baseUrl) {
      this.providerId = providerId;
      this.baseUrl = baseUrl;
    }

    public Builder queryParams(Map<String, String> v) {
      queryParams = v;
      return this;
    }

    public Builder headers(Map<String, String> v) {
      headers = v;
      return this;
    }

    public Builder envHeaders(Map<String, String> v) {
      envHeaders = v;
      return this;
    }

    public Builder apiKey(Supplier<String> v) {
      apiKey = v;
      return this;
    }

    public Builder retries(int request, int stream) {
      requestMaxRetries = request;
      streamMaxRetries = stream;
      return this;
    }

    public Builder streamIdleTimeout(Duration v) {
      streamIdleTimeout = v;
      return this;
    }

    public Builder websocketConnectTimeout(Duration v) {
      websocketConnectTimeout = v;
      return this;
    }

    public Builder websocketLanes(boolean v) {
      websocketLanes = v;
      return this;
    }

    public Builder warmup(boolean v) {
      warmup = v;
      return this;
    }

    public Builder websocketAge(Duration maxAge, Duration rotationMargin) {
      websocketMaxAge = maxAge;
      websocketRotationMargin = rotationMargin;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder caCertificate(Path v) {
      caCertificate = v;
      return this;
    }

    public Builder proxy(ProxySettings v) {
      proxy = v;
      return this;
    }

    /** Zero turns keepalive pings off. */
    public Builder websocketKeepalive(Duration v) {
      websocketKeepalive = v;
      return this;
    }

    public TransportSettings build() {
      return new TransportSettings(providerId, baseUrl, queryParams, headers, envHeaders, apiKey, requestMaxRetries,
          streamMaxRetries, streamIdleTimeout, websocketConnectTimeout, websocketLanes, warmup, websocketMaxAge,
          websocketRotationMargin, maxConnections, caCertificate, proxy, websocketKeepalive);
    }
  }
}
