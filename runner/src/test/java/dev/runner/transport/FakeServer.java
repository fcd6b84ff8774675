package dev.runner.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A test-only Responses server on port 0 that plays scripted SSE and WebSocket answers, can misbehave, and records what
 * it received: bodies, frames, handshakes (with their headers) and TCP connections.
 */
public final class FakeServer implements AutoCloseable {
  /** An answer to one POST. */
  public sealed interface HttpReply {
    /** SSE events; {@code breakAfter} closes the connection after them instead of ending the body. */
    record Sse(List<String> events, boolean breakAfter) implements HttpReply {}

    record Status(int status, Map<String, String> headers, String body) implements HttpReply {}

    /** Never answers. */
    record Hang() implements HttpReply {}
  }

  /** Frames to send for one received frame; {@code closeAfter} closes the socket after them. */
  public record WsReply(List<String> frames, boolean closeAfter) {
    public static WsReply of(List<String> frames) {
      return new WsReply(frames, false);
    }
  }

  @FunctionalInterface
  public interface HttpScript {
    HttpReply reply(int index, JsonNode body);
  }

  @FunctionalInterface
  public interface WsScript {
    /** @param connection 1-based socket number, @param index 0-based frame number over all sockets */
    WsReply reply(int connection, int index, JsonNode frame);
  }

  public final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
  public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  public final List<Map<String, String>> handshakeHeaders = new CopyOnWriteArrayList<>();
  public final List<Map<String, String>> postHeaders = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();
  public final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger upgradeAttempts = new AtomicInteger();
  private final DisposableServer server;
  private volatile HttpScript http = (i, b) -> new HttpReply.Sse(Events.message("resp_" + i, "hi"), false);
  private volatile WsScript ws = (c, i, f) -> f.path("generate").asBoolean(true)
      ? WsReply.of(Events.message("resp_" + i, "hi"))
      : WsReply.of(List.of(Events.created("resp_" + i), Events.completed("resp_" + i)));
  private volatile int refuseUpgrade;

  public FakeServer() {
    server = HttpServer.create().host("127.0.0.1").port(0)
        .doOnChannelInit((observer, channel, address) -> connections.incrementAndGet())
        .route(r -> r.post("/v1/responses", (req, res) -> {
          postHeaders.add(headers(req.requestHeaders()));
          return req.receive().aggregate().asString().flatMap(text -> {
            JsonNode body = parse(text);
            bodies.add(body);
            HttpReply reply = http.reply(bodies.size() - 1, body);
            return switch (reply) {
              case HttpReply.Status s -> {
                s.headers().forEach(res::header);
                yield Mono.from(res.status(s.status()).header("content-type", "application/json")
                    .sendString(Mono.just(s.body())));
              }
              case HttpReply.Hang h -> Mono.<Void>never();
              case HttpReply.Sse sse -> {
                Flux<String> chunks = Flux.fromIterable(sse.events()).map(e -> "event: x\ndata: " + e + "\n\n");
                if (sse.breakAfter()) {
                  chunks = chunks.concatWith(Mono.error(new IOException("scripted break")));
                }
                yield Mono.from(res.header("content-type", "text/event-stream").sendString(chunks));
              }
            };
          });
        }).get("/v1/responses", (req, res) -> {
          upgradeAttempts.incrementAndGet();
          if (refuseUpgrade > 0) {
            return res.status(refuseUpgrade).send();
          }
          handshakeHeaders.add(headers(req.requestHeaders()));
          int connection = handshakes.incrementAndGet();
          return res.sendWebsocket((in, out) -> {
            Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
            in.aggregateFrames().receive().asString().subscribe(text -> {
              JsonNode frame = parse(text);
              frames.add(frame);
              WsReply reply = ws.reply(connection, frames.size() - 1, frame);
              String lane = frame.path("stream_id").asText(null);
              reply.frames().forEach(f -> sink.tryEmitNext(lane == null ? f : withLane(f, lane)));
              if (reply.closeAfter()) {
                sink.tryEmitComplete();
              }
            }, err -> sink.tryEmitComplete(), sink::tryEmitComplete);
            return out.sendString(sink.asFlux()).then();
          }, WebsocketServerSpec.builder().compress(true).build());
        })).bindNow(Duration.ofSeconds(5));
  }

  public FakeServer http(HttpScript script) {
    this.http = script;
    return this;
  }

  public FakeServer ws(WsScript script) {
    this.ws = script;
    return this;
  }

  public FakeServer refuseUpgrade(int status) {
    this.refuseUpgrade = status;
    return this;
  }

  public int upgradeAttempts() {
    return upgradeAttempts.get();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  public TransportSettings.Builder settings() {
    return TransportSettings.builder("fake", baseUrl()).apiKey(() -> "sk-test-secret-key-123");
  }

  private static Map<String, String> headers(io.netty.handler.codec.http.HttpHeaders h) {
    java.util.TreeMap<String, String> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  private static String withLane(String event, String lane) {
    com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) parse(event);
    n.put("stream_id", lane);
    return n.toString();
  }

  static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
  }
}
