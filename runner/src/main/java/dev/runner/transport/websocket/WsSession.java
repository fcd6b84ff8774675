package dev.runner.transport.websocket;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import dev.runner.protocol.Item;
import dev.runner.protocol.RequestEncoder;
import dev.runner.protocol.ResponseRequest;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.TransportFailure;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.TurnObserver;
import dev.runner.transport.TurnReader;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One conversation on a borrowed socket. It remembers the last completed exchange (request, output, response id, and
 * the socket it ran on) to decide whether the next turn may go incrementally; any failure forgets it.
 */
final class WsSession implements TransportSession {
  private static final Log LOG = Log.of("transport");

  private final WsPool pool;
  private final TransportSettings settings;
  private final RetryPolicy retry;
  private final TransportListener listener;
  private final Clock clock;
  private final String url;
  private final boolean forced;
  private final TurnReader reader;
  private final TurnReader quietReader;
  private final RequestEncoder encoder = new RequestEncoder();
  private WsPool.Lease lease;
  /** A response was requested on the lease's lane and its end not yet read: the lane cannot carry another. */
  private boolean responseOpen;
  private boolean warmedUp;
  private String pendingReconnect;
  private int reconnects;
  // the last completed exchange: what incremental sends chain from
  private ResponseRequest lastRequest;
  private List<Item> lastOutput = List.of();
  private String lastResponseId;
  private WsConnection lastConnection;
  /** A stored parent the server said it no longer has. */
  private String goneParent;

  WsSession(WsPool pool, TransportSettings settings, RetryPolicy retry, TransportListener listener, Clock clock,
      String url, boolean forced) {
    this.pool = pool;
    this.settings = settings;
    this.retry = retry;
    this.listener = listener;
    this.clock = clock;
    this.url = url;
    this.forced = forced;
    this.reader = new TurnReader(clock, listener, settings.streamIdleTimeout());
    this.quietReader = new TurnReader(clock, TransportListener.NONE, settings.streamIdleTimeout());
  }

  @Override
  public TurnResult send(TurnRequest turn, TurnObserver observer, Instant deadline) {
    reconnects = 0;
    try {
      return retry.run(count -> attempt(turn, observer, deadline, count), deadline, listener, url);
    } catch (TransportFailure f) {
      if (forced && f.kind() == TransportFailure.Kind.UPGRADE) {
        throw RunnerException.transport(f.getMessage() + " and WebSocket was forced",
            "use the HTTP transport for this provider, or fix the proxy or server that refuses the upgrade", f);
      }
      throw f;
    }
  }

  private TurnResult attempt(TurnRequest turn, TurnObserver observer, Instant deadline, RetryPolicy.Count count) {
    ensureConnection(deadline);
    ResponseRequest full = turn.request().full(turn.request().input()).withStreamId(lease.streamId());
    if (settings.warmup() && !warmedUp) {
      warmUp(full, deadline);
    }
    boolean incremental = canChain(full, turn.newItems());
    // with no chain of its own, the session may chain from a response an earlier run had the service store
    boolean fromStored = !incremental && turn.storedParent() != null && !turn.storedParent().equals(goneParent);
    ResponseRequest wire = incremental
        ? full.incremental(lastResponseId, turn.newItems())
        : fromStored ? turn.chained(full) : full;
    incremental |= fromStored;
    TurnReader.Outcome outcome;
    long bytes;
    try {
      bytes = exchangeBytes(wire, incremental);
      outcome = reader.read(lease.queue(), TransportKind.WEBSOCKET, observer, deadline, Instant.now(clock), url);
    } catch (TransportFailure f) {
      forgetChain();
      if (f.kind() == TransportFailure.Kind.API) {
        responseOpen = false; // an error event or response.failed ends the response on its lane
      }
      if (incremental && "previous_response_not_found".equals(f.code())) {
        if (fromStored) {
          goneParent = turn.storedParent(); // a retry of this turn must not ask for it again
          LOG.info(() -> "the stored response " + turn.storedParent() + " is gone from the server"
              + " (previous_response_not_found): resending the whole conversation, " + full.input().size()
              + " items, on the same socket");
        } else {
          LOG.debug(() -> "previous_response_not_found: resending the full input on the same socket");
        }
        bytes = exchangeBytes(full, false);
        outcome = reader.read(lease.queue(), TransportKind.WEBSOCKET, observer, deadline, Instant.now(clock), url);
        incremental = false;
      } else {
        throw dropOnBreak(f);
      }
    }
    remember(full, outcome);
    return new TurnResult(outcome.response(), outcome.output(), new TurnResult.Facts(TransportKind.WEBSOCKET,
        incremental, bytes, count.request(), count.stream(), reconnects));
  }

  private long exchangeBytes(ResponseRequest wire, boolean incremental) {
    byte[] frame = encoder.frame(wire);
    lease.queue().clear();
    responseOpen = true;
    lease.connection().send(frame);
    LOG.debug(() -> "response.create " + (incremental ? "incremental: " : "full: ") + wire.input().size()
        + " items, " + frame.length + " bytes");
    listener.requestSent(TransportKind.WEBSOCKET, frame.length, 1, incremental);
    return frame.length;
  }

  /** A broken stream or a server-side close leaves the socket unusable: drop it so the retry reconnects. */
  private TransportFailure dropOnBreak(TransportFailure f) {
    boolean limit = "websocket_connection_limit_reached".equals(f.code());
    boolean broken = f.kind() == TransportFailure.Kind.STREAM || f.kind() == TransportFailure.Kind.IDLE
        || f.kind() == TransportFailure.Kind.IO || !lease.connection().isOpen();
    if (limit || broken) {
      lease.connection().retire();
      lease.connection().close();
      pool.release(lease);
      lease = null;
      pendingReconnect = limit ? "websocket_connection_limit_reached" : f.getMessage();
      if (limit) {
        return TransportFailure.of(TransportFailure.Kind.STREAM, "the server ended the socket: " + f.getMessage(), f);
      }
    }
    return f;
  }

  private void ensureConnection(Instant deadline) {
    if (lease != null && lease.connection().isOpen()
        && lease.connection().age(clock).compareTo(settings.websocketMaxAge().minus(
            settings.websocketRotationMargin())) >= 0) {
      var age = lease.connection().age(clock);
      LOG.debug(() -> "rotating a WebSocket aged " + age.toSeconds() + " s");
      listener.rotation(age);
      pool.retire(lease);
      lease = null;
    } else if (lease != null && !lease.connection().isOpen()) {
      String dead = lease.connection().deadBecause();
      pendingReconnect = dead != null ? dead : "the socket was closed";
      pool.release(lease);
      lease = null;
    }
    if (lease != null) {
      return;
    }
    if (pendingReconnect != null) {
      String reason = pendingReconnect;
      LOG.debug(() -> "reconnecting: " + reason);
      listener.reconnect(reason);
      reconnects++;
      pendingReconnect = null;
    }
    Instant start = Instant.now(clock);
    try {
      lease = pool.acquire(deadline, reconnects > 0);
    } catch (TransportFailure f) {
      if (f.kind() == TransportFailure.Kind.UPGRADE && f.getCause() instanceof WebSocketClientHandshakeException h
          && h.response() != null) {
        // the server answered on a new connection, only not with 101: a handshake, as the HTTP fallback's connection
        // that may follow is one, so that forced and auto count the refusal alike
        java.time.Duration took = java.time.Duration.between(start, Instant.now(clock));
        listener.connectStart(TransportKind.WEBSOCKET, url);
        listener.connectEnd(TransportKind.WEBSOCKET, new dev.runner.transport.ConnectTimings(took,
            java.time.Duration.ZERO, took));
      }
      throw f;
    }
    responseOpen = false;
    if (lease.fresh()) {
      // the pool decides whether a handshake happens, so both callbacks fire once it has
      LOG.debug(() -> "new WebSocket for this session after "
          + java.time.Duration.between(start, Instant.now(clock)).toMillis() + " ms");
      listener.connectStart(TransportKind.WEBSOCKET, url);
      listener.connectEnd(TransportKind.WEBSOCKET, lease.connection().timings());
    }
  }

  private void warmUp(ResponseRequest full, Instant deadline) {
    ResponseRequest w = new ResponseRequest(full.model(), full.instructions(), List.of(), full.tools(),
        full.toolChoice(), full.parallelToolCalls(), full.store(), null, full.text(), full.contextManagement(),
        full.promptCacheKey(), full.reasoning(), full.include(), Boolean.FALSE, full.streamId());
    byte[] frame = encoder.frame(w);
    lease.queue().clear();
    responseOpen = true;
    lease.connection().send(frame);
    LOG.debug(() -> "warm-up sent: " + frame.length + " bytes");
    TurnReader.Outcome o = quietReader.read(lease.queue(), TransportKind.WEBSOCKET, TurnObserver.NONE, deadline,
        Instant.now(clock), url);
    warmedUp = true;
    remember(w, o);
  }

  private boolean canChain(ResponseRequest full, List<Item> newItems) {
    if (lastResponseId == null || lastResponseId.isEmpty() || lastConnection != lease.connection()
        || !full.sameSettingsAs(lastRequest)) {
      return false;
    }
    List<Item> expected = new ArrayList<>(lastRequest.input());
    expected.addAll(lastOutput);
    expected.addAll(newItems);
    // After a server-side compaction the client keeps history only from the compaction item on.
    for (int i = expected.size() - 1; i > 0; i--) {
      if (expected.get(i) instanceof Item.Compaction) {
        expected = expected.subList(i, expected.size());
        break;
      }
    }
    return expected.equals(full.input());
  }

  private void remember(ResponseRequest full, TurnReader.Outcome o) {
    responseOpen = false;
    String status = o.response().status();
    boolean completed = status == null || "completed".equals(status);
    lastRequest = full;
    lastOutput = o.output();
    lastResponseId = completed ? o.response().id() : null;
    lastConnection = lease.connection();
  }

  private void forgetChain() {
    lastResponseId = null;
  }

  @Override
  public void close() {
    if (lease != null) {
      pool.release(lease, !responseOpen);
      lease = null;
    }
  }
}
