package dev.runner.transport;

import dev.runner.RunnerException;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  static {
    // Netty asks for the pid of its channel ids by reflection when the first channel opens, on the WebSocket
    // handshake's path; given it, it skips that
    if (System.getProperty("io.netty.processId") == null) {
      System.setProperty("io.netty.processId", Long.toString(ProcessHandle.current().pid()));
    }
  }

  private NettyClients() {}

  /**
   * A keep-alive pool named after the provider. Idle and old connections are dropped when a request would take them;
   * no background sweep, whose thread every run would start for a check that a run never needs.
   */
  public static ConnectionProvider pool(TransportSettings s, String wire) {
    return ConnectionProvider.builder("runner-" + s.providerId() + "-" + wire)
        .maxConnections(s.maxConnections())
        .pendingAcquireMaxCount(-1)
        .maxIdleTime(Duration.ofSeconds(50))
        .maxLifeTime(Duration.ofMinutes(10))
        .build();
  }

  /**
   * Event loops owned by one transport instead of Reactor Netty's process-wide ones, so that {@link #dispose} can stop
   * them before the JVM exits: HotSpot waits up to 300 ms at exit for threads still inside native code, and an idle
   * selector loop is always there. One daemon thread: a run talks over one connection at a time, and Reactor Netty
   * starts every loop of the group when it first uses it (a second one cost a thread start per run and did nothing).
   */
  public static LoopResources loops(TransportSettings s, String wire) {
    return LoopResources.create("runner-" + s.providerId() + "-" + wire, 1, true);
  }

  /**
   * Stops {@code loops} at once (no quiet period), waiting at most a few seconds for their threads to end. It waits on
   * the loops' own termination: Reactor's {@code disposeLater} waits through a timeout on its parallel scheduler and
   * Netty's termination promise, whose listeners run on Netty's global executor, so every run started two threads at
   * its very end to learn what the loops knew, on the path to exit. A transport
   * that never connected has its loop made here and stopped at once.
   */
  public static void dispose(LoopResources loops) {
    EventLoopGroup group = loops.onClient(false);
    group.shutdownGracefully(0, DISPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      // a loop that does not stop in time only delays exit; the run's result is already decided
      group.awaitTermination(DISPOSE_TIMEOUT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client for {@code url} over {@code pool} and {@code loops} with TLS, proxy and connect timeout applied. */
  public static HttpClient client(ConnectionProvider pool, LoopResources loops, TransportSettings s, URI url,
      Duration connectTimeout) {
    HttpClient client = HttpClient.create(pool)
        // the JDK's resolver (getaddrinfo: /etc/hosts, nsswitch, as curl and codex resolve) rather than Netty's DNS
        // client, which Reactor Netty otherwise builds with the client (resolv.conf parsing, its own UDP channels); set
        // before runOn, which builds the default one only when none is set
        .resolver(DefaultAddressResolverGroup.INSTANCE)
        // NIO rather than native epoll: a CLI run holds one or a few sockets, where epoll gains nothing, and loading the
        // epoll library means extracting it to a temp folder in every run (and fails on a read-only /tmp).
        // Reactor Netty's loop detection loaded it even so; the epoll jars are left out of the build (runner/pom.xml).
        .runOn(loops, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    boolean secure = "https".equals(url.getScheme()) || "wss".equals(url.getScheme());
    if (secure) {
      SslContext ssl = sslContext(s);
      client = client.secure(spec -> spec.sslContext(ssl));
    }
    int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
    ProxySettings.Endpoint proxy = s.proxy().forTarget(url.getHost(), port, secure);
    if (proxy != null) {
      client = client.proxy(spec -> {
        ProxyProvider.Builder b = spec.type(ProxyProvider.Proxy.HTTP).host(proxy.host()).port(proxy.port());
        if (proxy.hasCredentials()) {
          // Netty sends these as Proxy-Authorization: Basic on the CONNECT, and only there
          String password = proxy.password();
          b.username(proxy.username()).password(user -> password);
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
