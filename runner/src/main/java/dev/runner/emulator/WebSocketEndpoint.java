package dev.runner.emulator;

import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * {@code GET /v1/responses} with {@code Upgrade: websocket}: checks auth and handshake faults, accepts
 * permessage-deflate, then hands the socket to a {@link WebSocketSession}.
 */
final class WebSocketEndpoint {
  private final EmulatorContext ctx;
  private final WebsocketServerSpec spec = WebsocketServerSpec.builder().compress(true)
      .maxFramePayloadLength(Json.MAX_DOCUMENT_BYTES).build();

  WebSocketEndpoint(EmulatorContext ctx) {
    this.ctx = ctx;
  }

  Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    if (!"websocket".equalsIgnoreCase(req.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
      return HttpEndpoints.error(res, new ApiError(404, "invalid_request_error", null,
          "Invalid URL (GET /v1/responses): use POST, or a WebSocket upgrade.", null), Map.of());
    }
    if (!HttpEndpoints.authorized(req, ctx.options().requireAuth())) {
      return HttpEndpoints.error(res, ErrorBodies.unauthorized(), Map.of());
    }
    FaultKind fault = ctx.faults().forHandshake();
    if (fault == FaultKind.UPGRADE_426) {
      ctx.stats().increment(StatsRecorder.Counter.FAULTS);
      return HttpEndpoints.error(res, new ApiError(426, "invalid_request_error", "upgrade_required",
          "WebSocket mode is not available (injected fault); use HTTP.", null), Map.of());
    }
    if (fault == FaultKind.UPGRADE_404) {
      ctx.stats().increment(StatsRecorder.Counter.FAULTS);
      return HttpEndpoints.error(res, new ApiError(404, "invalid_request_error", null,
          "Invalid URL (GET /v1/responses) (injected fault).", null), Map.of());
    }
    AtomicReference<Connection> connection = new AtomicReference<>();
    req.withConnection(connection::set);
    ByteCounter counter = connection.get() == null
        ? null
        : connection.get().channel().pipeline().get(ByteCounter.class);
    if (counter != null) {
      counter.switchToWebsocket();
    }
    res.header(HttpHeaderNames.SERVER, "runner-emulator");
    return res.sendWebsocket((in, out) -> new WebSocketSession(ctx, in, out, connection.get(), counter).run(),
        spec);
  }
}
