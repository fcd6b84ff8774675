package dev.runner.transport.http;

import dev.runner.logging.Log;
import dev.runner.protocol.RequestEncoder;
import dev.runner.protocol.ResponseRequest;
import dev.runner.transport.Inbound;
import dev.runner.transport.NettyClients;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.TransportFailure;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TurnObserver;
import dev.runner.transport.TurnReader;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** One conversation over HTTP: stateless on the wire; between turns it holds only the last exchange until its end. */
final class HttpSession implements TransportSession {
  private static final Log LOG = Log.of("transport");
  /** How long a send waits for the last exchange's end before closing its connection instead. */
  private static final Duration SETTLE_MAX = Duration.ofSeconds(1);

  private final HttpExchange exchange;
  private final RetryPolicy retry;
  private final TransportListener listener;
  private final TurnReader reader;
  private final TurnReader chainedReader;
  private final Clock clock;
  private final String url;
  private final RequestEncoder encoder = new RequestEncoder();

  /** The last turn's exchange, whose body's end and connection's release overlap the caller's work (tool calls). */
  private HttpExchange.Call previous;

  HttpSession(HttpExchange exchange, RetryPolicy retry, TransportListener listener, Clock clock, Duration idle,
      String url) {
    this.exchange = exchange;
    this.retry = retry;
    this.listener = listener;
    this.reader = new TurnReader(clock, listener, idle);
    this.chainedReader = new TurnReader(clock, new ChainedSends(listener), idle);
    this.clock = clock;
    this.url = url;
  }

  @Override
  public TurnResult send(TurnRequest request, TurnObserver observer, Instant deadline) {
    ResponseRequest full = request.request().full(request.request().input());
    byte[] body = encoder.body(full);
    // a resumed session's first request continues from the response an earlier run had the service store
    boolean[] chain = {request.storedParent() != null};
    byte[] chained = chain[0] ? encoder.body(request.chained(full)) : null;
    settlePrevious();
    return retry.run(count -> {
      if (chain[0]) {
        try {
          return exchange(chained, request.newItems().size(), true, observer, deadline, count);
        } catch (TransportFailure f) {
          if (!"previous_response_not_found".equals(f.code())) {
            throw f;
          }
          chain[0] = false; // a retry of this turn sends the whole conversation too
          LOG.info(() -> "the stored response " + request.storedParent() + " is gone from the server"
              + " (previous_response_not_found): resending the whole conversation, " + full.input().size()
              + " items");
        }
      }
      return exchange(body, full.input().size(), false, observer, deadline, count);
    }, deadline, listener, url);
  }

  private TurnResult exchange(byte[] body, int items, boolean incremental, TurnObserver observer, Instant deadline,
      RetryPolicy.Count count) {
    LOG.debug(() -> "POST " + NettyClients.safeUrl(url) + (incremental ? " incremental input: " : " full input: ")
        + items + " items, " + body.length + " bytes" + (count.total() > 0 ? " (retry " + count.total() + ")" : ""));
    BlockingQueue<Inbound> queue = new LinkedBlockingQueue<>();
    HttpExchange.Call call = exchange.start(body, queue);
    TurnReader.Outcome o;
    try {
      o = (incremental ? chainedReader : reader).read(queue, TransportKind.HTTP, observer, deadline,
          Instant.now(clock), url);
    } catch (RuntimeException | Error e) {
      call.cancel();
      throw e;
    }
    // after response.completed only the body's end is left: the next send (or close) waits for it, so that the
    // connection goes back to the pool for the next turn instead of being closed, off this turn's path
    previous = call;
    return new TurnResult(o.response(), o.output(),
        new TurnResult.Facts(TransportKind.HTTP, incremental, body.length, count.request(), count.stream(), 0));
  }

  private void settlePrevious() {
    if (previous != null) {
      HttpExchange.Call call = previous;
      previous = null;
      call.awaitEnd(SETTLE_MAX);
      call.cancel();
    }
  }

  @Override
  public void close() {
    // connections belong to the transport's pool: the last exchange only has to end so its connection returns there
    settlePrevious();
  }
}
