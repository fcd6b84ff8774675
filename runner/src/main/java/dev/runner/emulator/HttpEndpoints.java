package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.logging.Log;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The plain HTTP routes: {@code POST /v1/responses} (SSE or JSON), {@code POST /v1/responses/compact}, {@code
 * /v1/models}, stats and reset.
 */
final class HttpEndpoints {
  private static final Log LOG = Log.of("emulator");
  static final String PADDING_TYPE = "response.emulator_padding";
  static final int OVERSIZED_BYTES = 17 * 1024 * 1024;
  private static final byte[] SSE_END = {'\n', '\n'};

  private final EmulatorContext ctx;

  HttpEndpoints(EmulatorContext ctx) {
    this.ctx = ctx;
  }

  static boolean authorized(HttpServerRequest req, boolean required) {
    if (!required) {
      return true;
    }
    String h = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) && !h.substring(7).isBlank();
  }

  static Mono<Void> error(HttpServerResponse res, ApiError e, Map<String, String> headers) {
    headers.forEach(res::header);
    return res.status(e.status()).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(ErrorBodies.http(e))).then();
  }

  Mono<Void> responses(HttpServerRequest req, HttpServerResponse res) {
    AtomicReference<Connection> connection = new AtomicReference<>();
    req.withConnection(connection::set);
    ByteCounter counter = connection.get() == null
        ? null
        : connection.get().channel().pipeline().get(ByteCounter.class);
    ctx.stats().firstByte(counter == null ? ByteCounter.nowMicros() : counter.takeFirstByteMicros());
    ctx.stats().increment(StatsRecorder.Counter.HTTP_REQUESTS);
    if (!authorized(req, ctx.options().requireAuth())) {
      return req.receive().then(error(res, ErrorBodies.unauthorized(), Map.of()));
    }
    return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(bytes -> {
      ctx.stats().payloadIn(StatsRecorder.Transport.HTTP, bytes.length);
      JsonNode body;
      try {
        body = Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        return error(res, ErrorBodies.malformedJson(e), Map.of());
      }
      CreateRequest create;
      try {
        create = CreateRequest.parse(body);
      } catch (CreateRequest.Invalid e) {
        return error(res, e.error(), Map.of());
      }
      ResponseEngine.Outcome outcome = ctx.engine().plan(create, null, false);
      return switch (outcome.plan()) {
        case Plan.Reject r when r.body() != null -> res.status(r.error().status())
            .header(HttpHeaderNames.CONTENT_TYPE, r.body().contentType()).sendString(Mono.just(r.body().text()))
            .then();
        case Plan.Reject r -> error(res, r.error(), r.headers());
        case Plan.Run run -> create.stream() ? stream(res, run, connection.get()) : plain(res, run, connection.get());
      };
    });
  }

  /** {@code POST /v1/responses/compact}: a JSON {@code response.compaction} answer (see {@link Compactor}). */
  Mono<Void> compact(HttpServerRequest req, HttpServerResponse res) {
    if (!authorized(req, ctx.options().requireAuth())) {
      return req.receive().then(error(res, ErrorBodies.unauthorized(), Map.of()));
    }
    return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(bytes -> {
      ctx.stats().payloadIn(StatsRecorder.Transport.HTTP, bytes.length);
      ObjectNode answer;
      try {
        answer = ctx.compactor().compact(Json.MAPPER.readTree(bytes));
      } catch (IOException e) {
        return error(res, ErrorBodies.malformedJson(e), Map.of());
      } catch (CreateRequest.Invalid e) {
        return error(res, e.error(), Map.of());
      }
      byte[] json = Json.utf8(answer);
      ctx.stats().payloadOut(StatsRecorder.Transport.HTTP, json.length);
      return json(res, json);
    });
  }

  private Mono<Void> stream(HttpServerResponse res, Plan.Run run, Connection connection) {
    Flux<ByteBuf> body = Flux.fromIterable(run.steps()).concatMap(step -> delayed(step).flatMapMany(s -> switch (s) {
      case Plan.Step.Event e -> Flux.just(sse(e.json()));
      case Plan.Step.Fault f -> fault(f.kind(), connection);
    }));
    return res.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header(HttpHeaderNames.CACHE_CONTROL, "no-cache").send(body).then()
        .onErrorResume(FaultAbort.class, e -> Mono.empty());
  }

  /** One SSE event; the JSON is written once, as the UTF-8 that goes out and that the stats count. */
  private ByteBuf sse(ObjectNode event) {
    byte[] data = Json.utf8(event);
    ctx.stats().payloadOut(StatsRecorder.Transport.HTTP, data.length);
    return Unpooled.wrappedBuffer(utf8("event: " + event.path("type").asText() + "\ndata: "),
        Unpooled.wrappedBuffer(data), Unpooled.wrappedBuffer(SSE_END));
  }

  private static ByteBuf utf8(String s) {
    return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
  }

  private Flux<ByteBuf> fault(FaultKind kind, Connection connection) {
    return switch (kind) {
      case STALL -> Flux.never();
      case MALFORMED, BINARY -> Flux.just(utf8("event: response.output_text.delta\ndata: {\"type\":\"response.output_"
          + "text.delta\",\"delta\":\"unterminated\n\n"));
      case OVERSIZED -> Flux.just(sse(padding()));
      case TRUNCATED -> Flux.just(utf8("event: response.output_text.delta\ndata: {\"type\":\"response.outp"));
      default -> {
        abort(connection);
        yield Flux.error(new FaultAbort());
      }
    };
  }

  /** A JSON non-stream answer: waits the whole generation time, then sends the final Response object. */
  private Mono<Void> plain(HttpServerResponse res, Plan.Run run, Connection connection) {
    Duration total = Duration.ZERO;
    ObjectNode last = null;
    for (Plan.Step s : run.steps()) {
      total = total.plus(s.delay());
      if (s instanceof Plan.Step.Fault f && (f.kind() == FaultKind.STALL)) {
        return Mono.never();
      }
      if (s instanceof Plan.Step.Fault f && f.kind() != FaultKind.MALFORMED && f.kind() != FaultKind.BINARY
          && f.kind() != FaultKind.OVERSIZED) {
        return Mono.delay(total).then(Mono.fromRunnable(() -> abort(connection)));
      }
      if (s instanceof Plan.Step.Event e && e.json().has("response")) {
        last = (ObjectNode) e.json().get("response");
      }
    }
    byte[] json = last == null ? new byte[]{'{', '}'} : Json.utf8(last);
    ctx.stats().payloadOut(StatsRecorder.Transport.HTTP, json.length);
    Mono<Void> send = res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .send(Mono.just(Unpooled.wrappedBuffer(json))).then();
    return total.isZero() ? send : Mono.delay(total).then(send);
  }

  static Mono<Plan.Step> delayed(Plan.Step step) {
    return step.delay().isZero() ? Mono.just(step) : Mono.delay(step.delay()).thenReturn(step);
  }

  static ObjectNode padding() {
    ObjectNode p = Json.MAPPER.createObjectNode().put("type", PADDING_TYPE);
    p.put("padding", "x".repeat(OVERSIZED_BYTES));
    return p;
  }

  /** Drops the connection with a TCP reset (SO_LINGER 0), as a crashed proxy would. */
  static void abort(Connection connection) {
    if (connection != null) {
      connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      connection.channel().close();
    }
  }

  Mono<Void> models(HttpServerRequest req, HttpServerResponse res) {
    if (!authorized(req, ctx.options().requireAuth())) {
      return error(res, ErrorBodies.unauthorized(), Map.of());
    }
    ObjectNode list = Json.MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (String m : ctx.engineModels()) {
      data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L).put("owned_by",
          "runner-emulator");
    }
    return json(res, list.toString());
  }

  /**
   * The refusal for an admin request, or null to serve it. A bearer token is required whatever {@code --no-auth} says:
   * a web page cannot add {@code Authorization} to a cross-origin request without a CORS preflight, which the emulator
   * never grants, so a page the user visits cannot reset or read it. A page that rebinds its DNS name to 127.0.0.1 is
   * same-origin and could set the header itself, so on a loopback emulator the {@code Host} header must name a loopback
   * address or {@code localhost}, and a request with an {@code Origin} header (browsers send one with every POST) is
   * refused everywhere. The token is any non-empty value, as on {@code /v1}: it stops browsers and accidents, it is not
   * a secret.
   */
  ApiError admin(HttpServerRequest req) {
    if (req.requestHeaders().contains(HttpHeaderNames.ORIGIN)
        || ctx.options().loopbackHost() && !EmulatorOptions.isLoopback(hostName(req))) {
      return ErrorBodies.adminFromBrowser();
    }
    return authorized(req, true) ? null : ErrorBodies.adminUnauthorized();
  }

  /** The name in the {@code Host} header without its port, or "" when there is none. */
  static String hostName(HttpServerRequest req) {
    String h = req.requestHeaders().get(HttpHeaderNames.HOST, "").trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.indexOf(':');
    return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
  }

  Mono<Void> stats(HttpServerRequest req, HttpServerResponse res) {
    ApiError refused = admin(req);
    if (refused != null) {
      return error(res, refused, Map.of());
    }
    return json(res, StatsJson.write(ctx.stats().snapshot()));
  }

  Mono<Void> reset(HttpServerRequest req, HttpServerResponse res) {
    ApiError refused = admin(req);
    if (refused != null) {
      return req.receive().then(error(res, refused, Map.of()));
    }
    ctx.reset();
    LOG.debug(() -> "emulator state reset");
    return req.receive().then(json(res, "{\"reset\":true}"));
  }

  /** A JSON answer from bytes written once, as they were counted. */
  static Mono<Void> json(HttpServerResponse res, byte[] body) {
    return res.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .send(Mono.just(Unpooled.wrappedBuffer(body))).then();
  }

  static Mono<Void> json(HttpServerResponse res, String body) {
    return res.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .sendString(Mono.just(body)).then();
  }

  /** Ends a stream on purpose after a connection-level fault. */
  static final class FaultAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FaultAbort() {
      super("injected connection fault", null, false, false);
    }
  }
}
