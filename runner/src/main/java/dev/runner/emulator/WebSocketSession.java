package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * One WebSocket connection. Each lane ({@code stream_id}, or the default lane) runs one response at a time and queues
 * later creates; lanes run concurrently (at most 16 in flight, 32 named lanes). Each lane caches its latest completed
 * response for {@code previous_response_id}; a failed turn evicts it. The connection ends with
 * {@code websocket_connection_limit_reached} when it reaches the configured age, busy or idle. How the connection
 * ended goes to the stats ({@link EmulatorStats#websocketCloses}); with an idle limit set, an {@link IdleCloser} drops
 * it when quiet.
 */
final class WebSocketSession {
  static final int MAX_IN_FLIGHT = 16;
  static final int MAX_NAMED_LANES = 32;
  private static final String ERRORS = "\u0000errors";

  private final EmulatorContext ctx;
  private final WebsocketInbound in;
  private final WebsocketOutbound out;
  private final Connection connection;
  private final ByteCounter counter;
  private final Map<String, Lane> lanes = new HashMap<>();
  private int inFlight;
  /** The code of the close frame this side sent first, 0 while none. */
  private volatile int serverClose;
  private volatile boolean idleClosed;

  private static final class Lane {
    int pending;
    StoredResponse latest;
  }

  /** What the session sends: a frame, a close handshake (ends the session) or a reset (ends it rudely). */
  private sealed interface Out {
    record Frame(WebSocketFrame frame) implements Out {}

    record Close(int code, String reason) implements Out {}

    record Abort() implements Out {}
  }

  private record Job(String lane, Flux<Out> work) {}

  WebSocketSession(EmulatorContext ctx, WebsocketInbound in, WebsocketOutbound out, Connection connection,
      ByteCounter counter) {
    this.ctx = ctx;
    this.in = in;
    this.out = out;
    this.connection = connection;
    this.counter = counter;
  }

  Mono<Void> run() {
    ctx.stats().increment(StatsRecorder.Counter.WS_HANDSHAKES);
    java.time.Duration idle = ctx.options().websocketIdleClose();
    if (!idle.isZero() && connection != null) {
      connection.channel().pipeline().addFirst(IdleCloser.NAME, new IdleCloser(idle, () -> idleClosed = true));
    }
    // the client's close code, the echo of ours when we closed first, or nothing when the connection just ended
    in.receiveCloseStatus().map(s -> s.code()).defaultIfEmpty(1006).subscribe(code -> ctx.stats().websocketClosed(
        idleClosed ? "server:idle" : serverClose != 0 ? "server:" + serverClose : String.valueOf(code)));
    Sinks.Empty<Void> done = Sinks.empty();
    Flux<Out> work = in.aggregateFrames(Json.MAX_DOCUMENT_BYTES).receiveFrames().map(this::accept)
        .groupBy(Job::lane).flatMap(lane -> lane.concatMap(Job::work), 256).doFinally(s -> done.tryEmitEmpty());
    Flux<Out> age = Mono.delay(ctx.options().websocketMaxAge())
        .flatMapMany(x -> Flux.<Out>just(text(ErrorBodies.websocket(ResponseEngine.connectionLimit(), Map.of(), null)),
            new Out.Close(1000, "websocket connection limit reached")))
        .takeUntilOther(done.asMono());
    // the close frame goes out before upstream is cancelled: cancelling the inbound drops the connection
    Flux<WebSocketFrame> frames = Flux.merge(work, age).concatMap(o -> switch (o) {
      case Out.Frame f -> Mono.just(f.frame());
      case Out.Close c -> {
        serverClose = c.code();
        yield Mono.<WebSocketFrame>just(new CloseWebSocketFrame(c.code(), c.reason()));
      }
      case Out.Abort a -> {
        HttpEndpoints.abort(connection);
        yield Mono.<WebSocketFrame>error(new HttpEndpoints.FaultAbort());
      }
    }).takeUntil(f -> f instanceof CloseWebSocketFrame);
    return out.sendObject(frames).then().onErrorResume(HttpEndpoints.FaultAbort.class, e -> Mono.empty());
  }

  /** Runs on the inbound thread, in frame order: validates and routes a frame to its lane. */
  private Job accept(WebSocketFrame frame) {
    long firstByte = counter == null ? ByteCounter.nowMicros() : counter.takeFirstByteMicros();
    if (frame instanceof BinaryWebSocketFrame b) {
      ctx.stats().payloadIn(StatsRecorder.Transport.WEBSOCKET, b.content().readableBytes());
      return error(invalid("Binary frames are not supported; send JSON text frames.", null, "invalid_frame"), null);
    }
    if (!(frame instanceof TextWebSocketFrame t)) {
      return new Job(ERRORS, Flux.empty());
    }
    // the frame's content is the UTF-8 text: counted and parsed as it is, without decoding it to a String first
    byte[] text = ByteBufUtil.getBytes(t.content());
    ctx.stats().payloadIn(StatsRecorder.Transport.WEBSOCKET, text.length);
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      return error(ErrorBodies.malformedJson(e), null);
    }
    if (!"response.create".equals(node.path("type").asText())) {
      return error(invalid("Unsupported event type '" + node.path("type").asText()
          + "'; this endpoint accepts response.create.", "type", "unknown_event_type"), null);
    }
    ctx.stats().increment(StatsRecorder.Counter.WS_REQUESTS);
    ctx.stats().firstByte(firstByte);
    String lane = node.hasNonNull("stream_id") ? node.get("stream_id").asText() : null;
    if (lane != null && !CreateRequest.STREAM_ID.matcher(lane).matches()) {
      return error(invalid("Invalid 'stream_id': use 1-256 characters of [A-Za-z0-9_.-].", "stream_id",
          "invalid_stream_id"), null);
    }
    CreateRequest create;
    try {
      create = CreateRequest.parse(node);
    } catch (CreateRequest.Invalid e) {
      return error(e.error(), lane);
    }
    String key = lane == null ? "" : lane;
    Lane l;
    synchronized (this) {
      l = lanes.get(key);
      if (l == null && lane != null && lanes.size() - (lanes.containsKey("") ? 1 : 0) >= MAX_NAMED_LANES) {
        return error(invalid("Too many WebSocket lanes: at most " + MAX_NAMED_LANES + " stream_ids per connection.",
            "stream_id", "websocket_stream_limit_reached"), lane);
      }
      if ((l == null || l.pending == 0) && inFlight >= MAX_IN_FLIGHT) {
        return error(invalid("Too many responses in flight: at most " + MAX_IN_FLIGHT + " per connection.",
            "stream_id", "websocket_stream_limit_reached"), lane);
      }
      if (l == null) {
        l = new Lane();
        lanes.put(key, l);
      }
      if (l.pending++ == 0) {
        inFlight++;
      }
    }
    Lane target = l;
    return new Job(key, Flux.defer(() -> respond(target, create)).doFinally(s -> release(target)));
  }

  private synchronized void release(Lane lane) {
    if (--lane.pending == 0) {
      inFlight--;
    }
  }

  private Flux<Out> respond(Lane lane, CreateRequest req) {
    ResponseEngine.Outcome outcome;
    synchronized (this) {
      outcome = ctx.engine().plan(req, lane.latest, true);
      if (outcome.completed() != null) {
        lane.latest = outcome.completed();
      } else {
        lane.latest = null; // a failed turn evicts its parent: the client must resend the full input
      }
    }
    return switch (outcome.plan()) {
      case Plan.Reject r -> {
        Flux<Out> f = Flux.just(text(ErrorBodies.websocket(r.error(), r.headers(), req.streamId())));
        yield r.fault() == FaultKind.CONNECTION_LIMIT
            ? f.concatWithValues(new Out.Close(1000, "websocket connection limit reached"))
            : f;
      }
      case Plan.Run run -> Flux.fromIterable(run.steps()).concatMap(step -> HttpEndpoints.delayed(step)
          .flatMapMany(s -> switch (s) {
            case Plan.Step.Event e -> Flux.just(text(withLane(e.json(), req.streamId())));
            case Plan.Step.Fault f -> fault(f.kind());
          }));
    };
  }

  private Flux<Out> fault(FaultKind kind) {
    return switch (kind) {
      case STALL -> Flux.never();
      case CLOSE_1008 -> Flux.just(new Out.Close(1008, "policy violation (injected fault)"));
      case MALFORMED -> Flux.just(new Out.Frame(new TextWebSocketFrame("{\"type\":\"response.output_text.delta\",")));
      case BINARY -> Flux.just(new Out.Frame(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(
          "{\"type\":\"response.in_progress\"}".getBytes(StandardCharsets.UTF_8)))));
      case OVERSIZED -> Flux.just(text(HttpEndpoints.padding()));
      default -> Flux.just(new Out.Abort());
    };
  }

  private static ObjectNode withLane(ObjectNode event, String lane) {
    return lane == null ? event : event.put("stream_id", lane);
  }

  private Out.Frame text(ObjectNode json) {
    // written once as UTF-8: the frame takes these bytes as they are, and they are what the stats count
    byte[] utf8 = Json.utf8(json);
    ctx.stats().payloadOut(StatsRecorder.Transport.WEBSOCKET, utf8.length);
    return new Out.Frame(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
  }

  private Job error(ApiError e, String lane) {
    return new Job(ERRORS, Flux.defer(() -> Flux.just(text(ErrorBodies.websocket(e, Map.of(), lane)))));
  }

  private static ApiError invalid(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", code, message, param);
  }
}
