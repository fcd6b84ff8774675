package dev.runner.transport.http;

import dev.runner.logging.Log;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.ErrorBodyReader;
import dev.runner.protocol.EventDecoder;
import dev.runner.protocol.MalformedEventException;
import dev.runner.protocol.StreamEvent;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.Inbound;
import dev.runner.transport.NettyClients;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.TransportFailure;
import dev.runner.transport.TransportSettings;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import io.netty.util.AttributeKey;
import reactor.netty.ConnectionObserver;
import reactor.util.context.Context;
import reactor.netty.http.client.HttpClient;

/**
 * One POST and its SSE answer on Netty threads, turned into {@link Inbound} items for the session thread: new
 * connection, request sent, each event, then the end or a classified failure.
 */
final class HttpExchange {
  private static final Log LOG = Log.of("transport");

  private final HttpClient client;
  private final TransportSettings settings;
  private final String url;
  private final Clock clock;

  HttpExchange(HttpClient client, TransportSettings settings, String url, Clock clock) {
    // hooks are set once: a per-call hook would change the pool key and defeat connection reuse
    this.client = client.doOnRequest((request, conn) -> {
      Attempt a = request.currentContextView().get(Attempt.class);
      conn.channel().attr(CURRENT).set(a);
      if (conn.channel().attr(SEEN).setIfAbsent(Boolean.TRUE) == null) {
        Duration tcp = Duration.between(a.started(), Instant.now(clock));
        LOG.debug(() -> "connected to " + NettyClients.safeUrl(url) + " in " + tcp.toMillis() + " ms");
        a.queue().add(new Inbound.Connected(url, new ConnectTimings(tcp, Duration.ZERO, tcp)));
      }
    }).doAfterRequest((request, conn) -> {
      Attempt a = request.currentContextView().get(Attempt.class);
      a.queue().add(new Inbound.Sent(a.bytes()));
    }).observe((conn, state) -> {
      // back in the pool: only now may the next turn count on finding this connection idle
      if (state == ConnectionObserver.State.RELEASED) {
        Attempt a = conn.channel().attr(CURRENT).getAndSet(null);
        if (a != null) {
          a.released().countDown();
        }
      }
    });
    this.settings = settings;
    this.url = url;
    this.clock = clock;
  }

  private static final AttributeKey<Boolean> SEEN = AttributeKey.valueOf("runner.seen");
  private static final AttributeKey<Attempt> CURRENT = AttributeKey.valueOf("runner.attempt");

  /** Per-call state the shared hooks find in the Reactor context. */
  private record Attempt(BlockingQueue<Inbound> queue, Instant started, long bytes, CountDownLatch released) {}

  /** A running exchange. */
  record Call(Disposable subscription, CountDownLatch done, CountDownLatch released) {
    /** Waits briefly for the body's end so the connection goes back to the pool instead of being closed. */
    void awaitEnd(Duration max) {
      try {
        if (done.await(max.toMillis(), TimeUnit.MILLISECONDS)) {
          released.await(max.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void cancel() {
      if (done.getCount() > 0) {
        subscription.dispose();
      }
    }
  }

  Call start(byte[] body, BlockingQueue<Inbound> queue) {
    Instant started = Instant.now(clock);
    AtomicBoolean streaming = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    // headers on the request itself: HttpClient.headers(..) would copy the client's whole configuration per call
    Disposable d = client
        .post()
        .uri(java.net.URI.create(url))
        .send((request, out) -> {
          NettyClients.headers(request.requestHeaders(), settings, Map.of("Content-Type", "application/json",
              "Accept", "text/event-stream", "Content-Length", Integer.toString(body.length)));
          return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
        })
        .response((response, content) -> {
          int status = response.status().code();
          LOG.debug(() -> "POST " + NettyClients.safeUrl(url) + " -> " + status + " after "
              + Duration.between(started, Instant.now(clock)).toMillis() + " ms");
          if (status / 100 != 2) {
            HttpHeaders headers = response.responseHeaders();
            return content.aggregate().asString().defaultIfEmpty("").doOnNext(text -> queue.add(
                new Inbound.Failure(statusFailure(status, headers, text)))).then();
          }
          streaming.set(true);
          SseDecoder decoder = new SseDecoder();
          return content.asByteArray().doOnNext(bytes -> {
            for (String data : decoder.feed(bytes)) {
              queue.add(event(data));
            }
          }).then();
        })
        .contextWrite(Context.of(Attempt.class, new Attempt(queue, started, body.length, released)))
        .subscribe(v -> {}, err -> {
          queue.add(new Inbound.Failure(TransportFailure.from(err, streaming.get(), url)));
          done.countDown();
        }, () -> {
          queue.add(new Inbound.End("end of the SSE body"));
          done.countDown();
        });
    return new Call(d, done, released);
  }

  private static Inbound event(String data) {
    try {
      StreamEvent e = EventDecoder.decode(data);
      return new Inbound.Event(e, data.length());
    } catch (MalformedEventException e) {
      return new Inbound.Failure(TransportFailure.of(TransportFailure.Kind.STREAM, "malformed SSE event: "
          + e.getMessage(), e));
    }
  }

  private TransportFailure statusFailure(int status, HttpHeaders headers, String body) {
    ApiError error = ErrorBodyReader.read(status, body);
    if ("previous_response_not_found".equals(error.code())) {
      // no failure the user sees: the session resends in full and says so in its own -v line
      LOG.debug(() -> "HTTP " + status + " body: " + ErrorBodyReader.raw(body));
    } else {
      LOG.info(() -> "HTTP " + status + " body: " + ErrorBodyReader.raw(body));
    }
    return new TransportFailure(TransportFailure.Kind.STATUS, "HTTP " + error.describe(), error,
        RetryPolicy.retryAfter(headers::get, clock), RetryPolicy.shouldRetry(headers::get), null);
  }
}
