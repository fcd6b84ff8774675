package dev.runner.transport.websocket;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import dev.runner.protocol.ErrorBodyReader;
import dev.runner.protocol.EventDecoder;
import dev.runner.protocol.Json;
import dev.runner.protocol.MalformedEventException;
import dev.runner.protocol.StreamEvent;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.Inbound;
import dev.runner.transport.NettyClients;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.TransportFailure;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.DataFormatException;
import reactor.core.Disposable;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * One open WebSocket. Frames are decoded on the Netty thread and routed to a lane's queue by {@code stream_id} (the
 * empty lane when none); frames no lane claims, binary frames, malformed JSON and the close go to every lane. Pings
 * are answered by Reactor Netty.
 *
 * <p>Keepalive: with a positive {@code keepalive} a ping goes out every that long while the socket is open, busy or
 * idle, so that no proxy between us and the server sees it idle for longer; a ping without its pong within {@link
 * #pongWait()} marks the socket dead (closed, every lane told), and the next turn opens a new one instead of sending
 * into a connection an intermediary dropped silently.
 *
 * <p>{@link #close} is the closing handshake: a close frame 1000, then the server's close frame or {@link
 * #CLOSE_REPLY_WAIT}, whichever comes first, then the TCP connection is closed.
 */
final class WsConnection {
  private static final Log LOG = Log.of("transport");
  static final String NO_LANE = "";
  /** How long {@link #close} lets the server answer our close frame before dropping the connection. */
  static final Duration CLOSE_REPLY_WAIT = Duration.ofSeconds(1);
  /**
   * How long a ping may go unanswered: one keepalive interval, but at least 5 s (a loaded CI machine or a GC pause
   * delays a pong by seconds, and a wrong verdict costs a reconnect and a full resend) and at most 10 s (a dead socket
   * must be found before the next turn needs it).
   */
  static final Duration PONG_WAIT_MIN = Duration.ofSeconds(5);

  static final Duration PONG_WAIT_MAX = Duration.ofSeconds(10);

  private final Map<String, BlockingQueue<Inbound>> lanes = new ConcurrentHashMap<>();
  private final Instant openedAt;
  private final String url;
  private volatile Disposable subscription;
  private volatile boolean open = true;
  private volatile boolean retiring;
  private volatile ConnectTimings timings;
  /** Set once, before the first frame either way, when the server accepted permessage-deflate. */
  private volatile PerMessageDeflate deflate;
  /** The socket's channel, set with {@link #deflate}: frames are written to it directly. */
  private volatile Channel channel;
  private final Duration keepalive;
  /** Set once our close frame is written: the server's close frame is then the reply, not a request. */
  private final AtomicBoolean closeSent = new AtomicBoolean();
  /** Completes when the TCP connection is closed, or at once by {@link #close} when none was ever made. */
  private final CompletableFuture<Void> socketClosed = new CompletableFuture<>();
  private volatile long pingsSent;
  private volatile long pongsSeen;
  /** Why the socket is no longer usable when the runner decided it (a missing pong); null otherwise. */
  private volatile String deadBecause;

  private WsConnection(String url, Instant openedAt, Duration keepalive) {
    this.url = url;
    this.openedAt = openedAt;
    this.keepalive = keepalive;
  }

  /**
   * Opens a socket, waiting at most {@code timeout} (and never past {@code deadline}) for the {@code 101}.
   *
   * @param keepalive the ping interval; zero for no pings
   * @throws TransportFailure UPGRADE for a refused upgrade or a handshake timeout, CONNECT/IO for network errors
   */
  static WsConnection open(HttpClient client, String url, Duration timeout, Instant deadline, Clock clock,
      Duration keepalive) {
    Instant start = Instant.now(clock);
    WsConnection c = new WsConnection(url, start, keepalive);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    AtomicReference<Instant> tcpAt = new AtomicReference<>();
    WebsocketClientSpec spec = WebsocketClientSpec.builder().compress(true)
        .maxFramePayloadLength(Json.MAX_DOCUMENT_BYTES).build();
    c.subscription = client.observe((conn, state) -> {
      if (state == ConnectionObserver.State.CONNECTED) {
        tcpAt.set(Instant.now(clock));
      }
    }).websocket(spec).uri(java.net.URI.create(url)).handle((in, unused) -> {
      Instant now = Instant.now(clock);
      Instant tcp = tcpAt.get() == null ? now : tcpAt.get();
      c.timings = new ConnectTimings(Duration.between(start, tcp), Duration.between(tcp, now),
          Duration.between(start, now));
      c.deflate = PerMessageDeflate.negotiated(in.headers().get("Sec-WebSocket-Extensions"),
          Json.MAX_DOCUMENT_BYTES);
      // Data frames go from the aggregator to DataFrames and frames out straight to the channel (send): Reactor
      // Netty's inbound flux and outbound sink cost each frame half a dozen operators on a thread that runs
      // interpreted for most of a run. Reactor Netty still answers pings and sees the close and the socket's end.
      in.aggregateFrames(Json.MAX_DOCUMENT_BYTES);
      in.withConnection(conn -> {
        if (c.deflate != null) {
          takeOverCompression(conn.channel().pipeline(), url);
        }
        conn.addHandlerLast(DataFrames.NAME, new DataFrames(c::onFrame, c.closeSent::get, c::onPong));
        c.channel = conn.channel();
        conn.channel().closeFuture().addListener(f -> c.socketClosed.complete(null));
        c.startKeepalive(conn.channel());
      });
      ready.complete(null);
      return in.receiveFrames().then();
    }).subscribe(v -> {}, err -> {
      ready.completeExceptionally(err);
      if (err instanceof io.netty.handler.codec.TooLongFrameException
          || err instanceof io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException) {
        // a retry would meet the same frame: a clear, final error instead of a stream retry
        c.broadcast(new Inbound.Failure(TransportFailure.of(TransportFailure.Kind.PROTOCOL, "a WebSocket frame from "
            + url + " exceeded " + Json.MAX_DOCUMENT_BYTES + " bytes or was corrupt (" + err.getMessage() + ")",
            err)));
      }
      c.closed("connection failed: " + err);
    }, () -> c.closed("closed by the server"));
    prepareSha1();
    Duration left = Duration.between(start, deadline);
    boolean byDeadline = left.compareTo(timeout) < 0;
    try {
      ready.get(Math.max(1, (byDeadline ? left : timeout).toMillis()), TimeUnit.MILLISECONDS);
      logHandshake(url, "101", start, clock);
      return c;
    } catch (TimeoutException e) {
      c.close();
      logHandshake(url, "no answer", start, clock);
      if (byDeadline) {
        throw RunnerException.timeout("the turn deadline passed during the WebSocket handshake with " + url,
            "raise --timeout");
      }
      throw TransportFailure.of(TransportFailure.Kind.UPGRADE,
          "no WebSocket handshake with " + url + " within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      c.close();
      Throwable cause = e.getCause();
      logHandshake(url, cause instanceof WebSocketClientHandshakeException h && h.response() != null
          ? "HTTP " + h.response().status().code()
          : "failed (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")", start, clock);
      if (cause instanceof WebSocketClientHandshakeException h) {
        String status = h.response() == null ? "no status" : "HTTP " + h.response().status().code();
        throw TransportFailure.of(TransportFailure.Kind.UPGRADE, "WebSocket upgrade refused by " + url + " ("
            + status + ")", h);
      }
      if (cause instanceof io.netty.channel.ConnectTimeoutException) {
        throw TransportFailure.of(TransportFailure.Kind.UPGRADE, "WebSocket connect to " + url + " timed out", cause);
      }
      throw TransportFailure.from(cause, false, url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw RunnerException.transport("interrupted during the WebSocket handshake with " + url, null, e);
    }
  }

  /**
   * Sets up the JDK's SHA-1 while the event loop connects: Netty's handshaker hashes its key with it once the TCP
   * connection is up, and the first digest of a process loads the security providers. Done here, that is off the
   * handshake's path, and off the path of HTTP runs, which need no digest.
   */
  private static void prepareSha1() {
    try {
      MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      // Netty reports it, with its context, when it needs the digest
    }
  }

  /**
   * Takes Netty's permessage-deflate handlers out of the pipeline: compressed frames then reach {@link #onFrame} as they
   * came (whole messages, the aggregator keeps the first frame's RSV1) and {@link #send} compresses its own.
   */
  private static void takeOverCompression(ChannelPipeline pipeline, String url) {
    List<String> removed = new ArrayList<>();
    pipeline.forEach(entry -> {
      if (entry.getValue() instanceof WebSocketExtensionDecoder
          || entry.getValue() instanceof WebSocketExtensionEncoder) {
        removed.add(entry.getKey());
      }
    });
    removed.forEach(pipeline::remove);
    LOG.debug(() -> "ws " + NettyClients.safeUrl(url) + ": permessage-deflate by the runner (Netty's " + removed.size()
        + " extension handlers removed)");
  }

  /** One line per handshake attempt, refused and failed ones too: they are what a proxy problem looks like. */
  private static void logHandshake(String url, String outcome, Instant start, Clock clock) {
    LOG.debug(() -> "ws handshake with " + NettyClients.safeUrl(url) + " -> " + outcome + " after "
        + Duration.between(start, Instant.now(clock)).toMillis() + " ms");
  }

  BlockingQueue<Inbound> lane(String id) {
    return lanes.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
  }

  void removeLane(String id) {
    lanes.remove(id);
  }

  int laneCount() {
    return lanes.size();
  }

  /**
   * Queues one text frame of UTF-8 {@code frame} bytes (from the request encoder, so valid UTF-8); several sessions
   * may send on a shared socket, so emission is serialized.
   */
  synchronized void send(byte[] frame) {
    if (!open) {
      throw closedFailure();
    }
    PerMessageDeflate codec = deflate;
    boolean compress = codec != null && codec.compressesOutbound();
    byte[] payload = compress ? codec.deflate(frame) : frame;
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      throw closedFailure();
    }
    ch.writeAndFlush(new TextWebSocketFrame(true, compress ? PerMessageDeflate.RSV1 : 0,
        Unpooled.wrappedBuffer(payload))).addListener(f -> {
          if (!f.isSuccess()) {
            closed("a frame could not be written: " + f.cause());
            ch.close();
          }
        });
    LOG.debug(
        () -> "ws frame sent: " + frame.length + " bytes" + (compress ? ", " + payload.length + " deflated" : ""));
  }

  private TransportFailure closedFailure() {
    return TransportFailure.of(TransportFailure.Kind.STREAM, "the WebSocket to " + url + " is closed", null);
  }

  boolean isOpen() {
    return open;
  }

  boolean retiring() {
    return retiring;
  }

  void retire() {
    retiring = true;
  }

  ConnectTimings timings() {
    return timings;
  }

  Duration age(Clock clock) {
    return Duration.between(openedAt, Instant.now(clock));
  }

  /**
   * Ends the socket with the closing handshake when it is up (see the class comment), at once otherwise; never blocks.
   * Calls after the first only return the same future.
   *
   * @return completes when the TCP connection is closed, at the latest {@link #CLOSE_REPLY_WAIT} after the close frame
   */
  CompletableFuture<Void> close() {
    open = false;
    Channel ch = channel;
    if (ch != null && ch.isActive() && closeSent.compareAndSet(false, true)) {
      ch.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> {
        if (!f.isSuccess()) {
          ch.close();
        }
      });
      ch.eventLoop().schedule(() -> {
        if (ch.isActive()) {
          LOG.debug(() -> "ws " + NettyClients.safeUrl(url) + ": no close frame back within "
              + CLOSE_REPLY_WAIT.toMillis() + " ms; closing the connection");
          ch.close();
        }
      }, CLOSE_REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      socketClosed.whenComplete((v, e) -> dispose());
    } else if (ch == null || !ch.isActive()) {
      dispose();
      socketClosed.complete(null);
    }
    return socketClosed;
  }

  private void dispose() {
    Disposable s = subscription;
    if (s != null) {
      s.dispose();
    }
  }

  /** The reason the runner gave up on this socket (no pong), or null when it did not. */
  String deadBecause() {
    return deadBecause;
  }

  private Duration pongWait() {
    Duration atLeast = keepalive.compareTo(PONG_WAIT_MIN) > 0 ? keepalive : PONG_WAIT_MIN;
    return atLeast.compareTo(PONG_WAIT_MAX) < 0 ? atLeast : PONG_WAIT_MAX;
  }

  private void startKeepalive(Channel ch) {
    if (keepalive.isZero() || keepalive.isNegative()) {
      return;
    }
    long period = keepalive.toMillis();
    io.netty.util.concurrent.ScheduledFuture<?> task = ch.eventLoop().scheduleAtFixedRate(() -> ping(ch), period,
        period, TimeUnit.MILLISECONDS);
    ch.closeFuture().addListener(f -> task.cancel(false));
  }

  /** On the socket's event loop. */
  private void ping(Channel ch) {
    if (!open || closeSent.get() || !ch.isActive()) {
      return;
    }
    long number = ++pingsSent;
    ch.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(number)));
    LOG.trace(() -> "ws ping " + number);
    long wait = pongWait().toMillis();
    ch.eventLoop().schedule(() -> {
      if (pongsSeen < number && open && ch.isActive()) {
        deadBecause = "no pong within " + wait + " ms of a keepalive ping";
        LOG.debug(() -> "ws " + NettyClients.safeUrl(url) + ": " + deadBecause + "; the socket is dropped");
        closed(deadBecause);
        ch.close();
      }
    }, wait, TimeUnit.MILLISECONDS);
  }

  /** On the socket's event loop: a pong answers every ping sent before it. */
  private void onPong() {
    pongsSeen = pingsSent;
  }

  private void onFrame(WebSocketFrame frame) {
    if (!(frame instanceof TextWebSocketFrame text)) {
      broadcast(new Inbound.Failure(TransportFailure.of(TransportFailure.Kind.STREAM,
          "unexpected " + frame.getClass().getSimpleName() + " from " + url, null)));
      return;
    }
    byte[] json;
    try {
      json = (frame.rsv() & PerMessageDeflate.RSV1) != 0 && deflate != null
          ? deflate.inflate(text.content())
          : ByteBufUtil.getBytes(text.content());
    } catch (DataFormatException e) {
      broadcast(new Inbound.Failure(TransportFailure.of(TransportFailure.Kind.PROTOCOL,
          "a compressed WebSocket message from " + url + " could not be inflated (" + e.getMessage() + ")", e)));
      close(); // the shared compression context is lost: no later message on this socket could be read
      closed("closed after a message that could not be inflated");
      return;
    }
    int bytes = json.length; // the message as JSON, as counted before compression was ours and as sent is counted
    StreamEvent event;
    try {
      // from the frame's bytes: a String first would decode the UTF-8 twice
      event = EventDecoder.decode(json);
    } catch (MalformedEventException e) {
      broadcast(new Inbound.Failure(TransportFailure.of(TransportFailure.Kind.STREAM,
          "malformed WebSocket frame from " + url + ": " + e.getMessage(), e)));
      return;
    }
    LOG.trace(() -> "ws event " + event.type() + " " + bytes + " bytes");
    if (event instanceof StreamEvent.Error e) {
      // as HTTP shows an error answer's body with -v: the frame may say more than the one-line error can; a gone
      // stored parent is handled (resent in full, said once), so its frame only at -vv, as over HTTP
      java.util.function.Supplier<String> raw = () -> "WebSocket error event from " + url + ": "
          + ErrorBodyReader.raw(new String(json, java.nio.charset.StandardCharsets.UTF_8));
      if ("previous_response_not_found".equals(e.error().code())) {
        LOG.debug(raw);
      } else {
        LOG.info(raw);
      }
    }
    BlockingQueue<Inbound> target = lanes.get(event.streamId() == null ? NO_LANE : event.streamId());
    Inbound.Event item = new Inbound.Event(event, bytes, event instanceof StreamEvent.Error
        ? retryAfter(json)
        : null);
    if (target != null) {
      target.add(item);
    } else {
      broadcast(item);
    }
  }

  /** A WebSocket error event carries the HTTP answer's {@code headers}: the {@code Retry-After} of a 429 is there. */
  private static Duration retryAfter(byte[] json) {
    try {
      com.fasterxml.jackson.databind.JsonNode headers = Json.MAPPER.readTree(json).path("headers");
      if (!headers.isObject()) {
        return null;
      }
      Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.properties().forEach(e -> byName.put(e.getKey(), e.getValue().asText()));
      return RetryPolicy.retryAfter(byName::get, Clock.systemUTC());
    } catch (java.io.IOException e) {
      return null; // it decoded once already; no headers is the safe reading
    }
  }

  private void closed(String why) {
    if (open) {
      open = false;
      LOG.debug(() -> "ws " + NettyClients.safeUrl(url) + " " + why);
    }
    broadcast(new Inbound.End(why));
  }

  private void broadcast(Inbound item) {
    lanes.values().forEach(q -> q.add(item));
  }
}
