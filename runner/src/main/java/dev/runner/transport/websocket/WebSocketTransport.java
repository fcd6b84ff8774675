package dev.runner.transport.websocket;

import dev.runner.logging.Log;
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
import java.util.Map;
import java.util.random.RandomGenerator;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Responses over WebSocket: {@code wss://.../responses}, one {@code response.create} frame per turn, sent
 * incrementally (only new items plus {@code previous_response_id}) when the connection, the settings and the history
 * allow, in full otherwise. Sockets are pooled per provider and outlive sessions. Recovers from {@code
 * previous_response_not_found} (full resend, same socket), from {@code websocket_connection_limit_reached} and early
 * closes (new socket, full input), and rotates sockets near their maximum age at a turn boundary.
 *
 * <p>A refused upgrade (any answer but {@code 101}, or a handshake timeout) is a {@link
 * dev.runner.transport.TransportFailure} of kind {@code UPGRADE} thrown from {@code send} so that a caller may fall
 * back to HTTP; when {@code forced} it is a {@link dev.runner.RunnerException#transport} (exit 4) instead.
 */
public final class WebSocketTransport implements ModelTransport {
  static final String BETA = "responses_websockets=2026-02-06";
  private static final Log LOG = Log.of("transport");

  private final TransportSettings settings;
  private final TransportListener listener;
  private final boolean forced;
  private final Clock clock;
  private final RetryPolicy retry;
  private final ConnectionProvider provider;
  private final LoopResources loops;
  private final WsPool pool;
  private final String url;

  public WebSocketTransport(TransportSettings settings, TransportListener listener, boolean forced, Clock clock,
      Sleeper sleeper, RandomGenerator random) {
    this.settings = settings;
    this.listener = listener;
    this.forced = forced;
    this.clock = clock;
    this.retry = new RetryPolicy(settings.requestMaxRetries(), settings.streamMaxRetries(), sleeper, clock, random);
    this.url = websocketUrl(settings.url("/responses"));
    // upgraded sockets never go back to Reactor's pool, so each handshake gets its own channel; WsPool pools them
    this.provider = ConnectionProvider.newConnection();
    this.loops = NettyClients.loops(settings, "ws");
    HttpClient client = NettyClients
        .client(provider, loops, settings, URI.create(url), settings.websocketConnectTimeout())
        .headers(h -> NettyClients.headers(h, settings, Map.of("OpenAI-Beta", BETA)));
    this.pool = new WsPool(settings.websocketLanes(), clock,
        settings.websocketMaxAge().minus(settings.websocketRotationMargin()),
        (deadline, replacing) -> WsConnection.open(client, url, settings.websocketConnectTimeout(), deadline, clock,
            settings.websocketKeepalive()));
    LOG.debug(() -> "websocket transport for " + settings.providerId() + ": " + NettyClients.safeUrl(url) + " headers "
        + NettyClients.describeHeaders(settings) + ",OpenAI-Beta");
  }

  public WebSocketTransport(TransportSettings settings, TransportListener listener, boolean forced) {
    this(settings, listener, forced, Clock.systemUTC(), Sleeper.SYSTEM, RandomGenerator.getDefault());
  }

  /** {@code http→ws}, {@code https→wss}. */
  static String websocketUrl(String httpUrl) {
    if (httpUrl.startsWith("https://")) {
      return "wss://" + httpUrl.substring(8);
    }
    if (httpUrl.startsWith("http://")) {
      return "ws://" + httpUrl.substring(7);
    }
    return httpUrl;
  }

  @Override
  public TransportSession openSession() {
    return new WsSession(pool, settings, retry, listener, clock, url, forced);
  }

  @Override
  public void preconnect(Instant deadline) {
    pool.preopen(deadline);
  }

  @Override
  public TransportKind kind() {
    return TransportKind.WEBSOCKET;
  }

  @Override
  public void close() {
    try {
      // a little past the connections' own bound: their timers run on the loops disposed below
      pool.close(WsConnection.CLOSE_REPLY_WAIT.plusMillis(200));
      provider.dispose();
    } finally {
      NettyClients.dispose(loops);
    }
  }
}
