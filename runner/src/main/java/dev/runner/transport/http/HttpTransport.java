package dev.runner.transport.http;

import dev.runner.logging.Log;
import dev.runner.protocol.ResponseRequest;
import dev.runner.transport.Compacted;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.NettyClients;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.Sleeper;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * {@code POST {base_url}/responses} with an SSE answer over a keep-alive pool named after the provider. Every turn
 * sends the full input (never {@code previous_response_id}), so any pooled connection can carry any turn; sequential
 * turns reuse one TCP connection. Failures and retries are as {@link TransportSession} documents.
 */
public final class HttpTransport implements ModelTransport {
  private static final Log LOG = Log.of("transport");

  private final TransportSettings settings;
  private final TransportListener listener;
  private final Clock clock;
  private final RetryPolicy retry;
  private final ConnectionProvider pool;
  private final LoopResources loops;
  private final HttpClient client;
  private final String url;

  public HttpTransport(TransportSettings settings, TransportListener listener, Clock clock, Sleeper sleeper,
      RandomGenerator random) {
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.retry = new RetryPolicy(settings.requestMaxRetries(), settings.streamMaxRetries(), sleeper, clock, random);
    this.url = settings.url("/responses");
    this.pool = NettyClients.pool(settings, "http");
    this.loops = NettyClients.loops(settings, "http");
    this.client = NettyClients.client(pool, loops, settings, URI.create(url), settings.websocketConnectTimeout());
    LOG.debug(() -> "http transport for " + settings.providerId() + ": POST " + NettyClients.safeUrl(url) + " headers "
        + NettyClients.describeHeaders(settings));
  }

  /** With the system clock, real sleeps and a fresh random source for jitter. */
  public HttpTransport(TransportSettings settings, TransportListener listener) {
    this(settings, listener, Clock.systemUTC(), Sleeper.SYSTEM, RandomGenerator.getDefault());
  }

  @Override
  public TransportSession openSession() {
    return new HttpSession(new HttpExchange(client, settings, url, clock), retry, listener, clock,
        settings.streamIdleTimeout(), url);
  }

  @Override
  public Optional<Compacted> compact(ResponseRequest request, Instant deadline) {
    return Optional.of(new HttpCompaction(client, settings, clock).run(request, deadline, retry, listener));
  }

  @Override
  public TransportKind kind() {
    return TransportKind.HTTP;
  }

  @Override
  public void close() {
    try {
      pool.disposeLater().block(java.time.Duration.ofSeconds(5));
    } finally {
      NettyClients.dispose(loops);
    }
  }
}
