package dev.runner.transport;

import dev.runner.RunnerException;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

/**
 * The Reactor Netty set-up both wires share: a named per-provider pool, TLS with the configured trust, proxies, and the
 * request headers. TLS verification is always on; there is no switch to turn it off.
 */
public final class NettyClients {
  private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(2);

  private NettyClients() {}

  /** A keep-alive pool named after the provider, evicting idle and old connections in the background. */
  public static ConnectionProvider pool(TransportSettings s, String wire) {
    return ConnectionProvider.builder("runner-" + s.providerId() + "-" + wire)
        .maxConnections(s.maxConnections())
        .pendingAcquireMaxCount(-1)
        .maxIdleTime(Duration.ofSeconds(50))
        .maxLifeTime(Duration.ofMinutes(10))
        .evictInBackground(Duration.ofSeconds(30))
        .build();
  }

  /**
   * Event loops owned by one transport instead of Reactor Netty's process-wide ones, so that {@link #dispose} can stop
   * them before the JVM exits: HotSpot waits up to 300 ms at exit for threads still inside native code, and an idle
   * selector loop is always there. Daemon threads, at most two (one CLI run rarely needs more).
   */
  public static LoopResources loops(TransportSettings s, String wire) {
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    return LoopResources.create("runner-" + s.providerId() + "-" + wire, threads, true);
  }

  /** Stops {@code loops} at once (no quiet period), waiting at most a few seconds for their threads to end. */
  public static void dispose(LoopResources loops) {
    try {
      loops.disposeLater(Duration.ZERO, DISPOSE_TIMEOUT).block(DISPOSE_TIMEOUT.plusSeconds(1));
    } catch (RuntimeException e) {
      // a loop that does not stop in time only delays exit; the run's result is already decided
    }
  }

  /** A client for {@code url} over {@code pool} and {@code loops} with TLS, proxy and connect timeout applied. */
  public static HttpClient client(ConnectionProvider pool, LoopResources loops, TransportSettings s, URI url,
      Duration connectTimeout) {
    HttpClient client = HttpClient.create(pool)
        // NIO rather than native epoll: a CLI run holds one or a few sockets, where epoll gains nothing, and loading the
        // epoll library means extracting it to a temp folder in every run (~25 ms measured; fails on read-only /tmp).
        // Reactor Netty's loop detection loaded it even so; the epoll jars are left out of the build (runner/pom.xml).
        .runOn(loops, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    boolean secure = "https".equals(url.getScheme()) || "wss".equals(url.getScheme());
    if (secure) {
      SslContext ssl = sslContext(s);
      client = client.secure(spec -> spec.sslContext(ssl));
    }
    ProxySettings.Endpoint proxy = s.proxy().forTarget(url.getHost(), secure);
    if (proxy != null) {
      String nonProxy = s.proxy().nonProxyHostsRegex();
      client = client.proxy(spec -> {
        ProxyProvider.Builder b = spec.type(ProxyProvider.Proxy.HTTP).host(proxy.host()).port(proxy.port());
        if (!nonProxy.isEmpty()) {
          b.nonProxyHosts(nonProxy);
        }
      });
    } else {
      client = client.noProxy();
    }
    return client;
  }

  /** Adds auth, the provider's headers, and {@code extra}; the key is read here and only here. */
  public static void headers(HttpHeaders h, TransportSettings s, Map<String, String> extra) {
    s.allHeaders().forEach(h::set);
    extra.forEach(h::set);
    if (s.apiKey() != null) {
      String key = s.apiKey().get();
      if (key != null && !key.isEmpty()) {
        h.set("Authorization", "Bearer " + key);
      }
    }
  }

  /**
   * A URL fit for a log line: user-info dropped and query values masked, since either may carry a credential (some
   * gateways take the key as a query parameter).
   */
  public static String safeUrl(String url) {
    String u = url.replaceFirst("^([a-z]+://)[^/@]*@", "$1");
    int q = u.indexOf('?');
    return q < 0 ? u : u.substring(0, q + 1) + u.substring(q + 1).replaceAll("=[^&]*", "=***");
  }

  /** The header names for a debug line; values are left out because any of them may be a secret. */
  public static String describeHeaders(TransportSettings s) {
    return String.join(",", new java.util.TreeSet<>(s.allHeaders().keySet())) + (s.apiKey() == null
        ? ""
        : ",Authorization=[REDACTED]");
  }

  static SslContext sslContext(TransportSettings s) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient();
      if (s.caCertificate() != null) {
        if (!Files.isReadable(s.caCertificate())) {
          throw new IOException("not readable");
        }
        b.trustManager(s.caCertificate().toFile());
      }
      return b.build();
    } catch (IOException | IllegalArgumentException e) {
      throw RunnerException.config("the CA certificate file " + s.caCertificate() + " could not be used: "
          + e.getMessage(), "point the CA setting or SSL_CERT_FILE at a readable PEM file", e);
    }
  }
}
