package dev.runner.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.client.WebsocketClientSpec;
import org.reactivestreams.Publisher;

/**
 * A pass-through between the runner and an emulator that keeps every request as the runner put it on the socket:
 * each POST body (with its path) and each WebSocket text frame the client sent. Answers stream back unchanged, so the
 * run behaves as without the proxy; the emulator never needs to know it is watched.
 */
public final class RecordingProxy implements AutoCloseable {
  /** One request the client sent: the POST path, or {@code ws} for a frame. */
  public record Sent(String path, JsonNode json) {}

  private static final Set<String> HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
      "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "keep-alive");

  public final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final String upstream;
  private final HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(60));
  private final DisposableServer server;

  /** @param upstreamBaseUrl {@code http://127.0.0.1:PORT/v1} */
  public RecordingProxy(String upstreamBaseUrl) {
    this.upstream = upstreamBaseUrl.replaceFirst("/v1$", "");
    this.server = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.route(req -> true, this::handle)).bindNow(Duration.ofSeconds(10));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  public List<JsonNode> bodies(String path) {
    return sent.stream().filter(s -> s.path().equals(path)).map(Sent::json).toList();
  }

  private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    if ("websocket".equalsIgnoreCase(req.requestHeaders().get(HttpHeaderNames.UPGRADE))) {
      return websocket(req, res);
    }
    return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
      if (!body.isEmpty()) {
        sent.add(new Sent(req.path().startsWith("/") ? req.path() : "/" + req.path(), parse(body)));
      }
      return client.headers(h -> copy(req.requestHeaders(), h))
          .request(HttpMethod.valueOf(req.method().name())).uri(upstream + req.uri())
          .send(ByteBufFlux.fromString(Mono.just(body)))
          .response((answer, content) -> {
            res.status(answer.status());
            copy(answer.responseHeaders(), res.responseHeaders());
            return res.send(content.retain()).then();
          }).then();
    });
  }

  private Publisher<Void> websocket(HttpServerRequest req, HttpServerResponse res) {
    HttpHeaders headers = req.requestHeaders();
    return res.sendWebsocket((in, out) -> client.headers(h -> copy(headers, h))
        .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(64 << 20).build())
        .uri(upstream.replaceFirst("^http", "ws") + req.uri())
        .handle((upIn, upOut) -> {
          Mono<Void> up = upOut.sendString(in.aggregateFrames(64 << 20).receive().asString()
              .doOnNext(text -> sent.add(new Sent("ws", parse(text))))).then();
          Mono<Void> down = out.sendString(upIn.aggregateFrames(64 << 20).receive().asString()).then();
          // whichever side ends first ends both (the client closing, or the emulator rotating the socket)
          return Mono.firstWithSignal(up, down);
        }).then(), WebsocketServerSpec.builder().maxFramePayloadLength(64 << 20).build());
  }

  private static void copy(HttpHeaders from, HttpHeaders to) {
    from.forEach(e -> {
      if (!HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
        to.add(e.getKey(), e.getValue());
      }
    });
  }

  private static JsonNode parse(String text) {
    try {
      return Captures.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("the client sent something that is not JSON: " + text, e);
    }
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
