package dev.runner.transport;

import dev.runner.logging.Log;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * WebSocket first, HTTP for good once an upgrade is refused: the session that meets the refusal resends its turn over
 * HTTP, and every later session of this transport starts on HTTP.
 */
final class FallbackTransport implements ModelTransport {
  private static final Log LOG = Log.of("transport");

  private final ModelTransport websocket;
  private final Supplier<ModelTransport> httpFactory;
  private final TransportListener listener;
  private ModelTransport http;
  private String fallbackReason;

  FallbackTransport(ModelTransport websocket, Supplier<ModelTransport> httpFactory, TransportListener listener) {
    this.websocket = websocket;
    this.httpFactory = httpFactory;
    this.listener = listener;
  }

  @Override
  public TransportSession openSession() {
    synchronized (this) {
      if (http != null) {
        return http.openSession();
      }
    }
    return new Session(websocket.openSession());
  }

  @Override
  public void preconnect(Instant deadline) {
    if (kind() == TransportKind.WEBSOCKET) {
      websocket.preconnect(deadline);
    }
  }

  @Override
  public synchronized TransportKind kind() {
    return http != null ? TransportKind.HTTP : TransportKind.WEBSOCKET;
  }

  private synchronized ModelTransport fallBack(String reason) {
    if (http == null) {
      fallbackReason = reason;
      LOG.warn("WebSocket unavailable, using HTTP for the rest of this run: " + reason);
      listener.fallback(reason);
      http = httpFactory.get();
    }
    return http;
  }

  @Override
  public synchronized void close() {
    websocket.close();
    if (http != null) {
      http.close();
    }
  }

  @Override
  public synchronized String toString() {
    return "FallbackTransport[" + (http == null ? "websocket" : "http after: " + fallbackReason) + "]";
  }

  private final class Session implements TransportSession {
    private TransportSession current;
    private boolean onHttp;

    Session(TransportSession websocketSession) {
      this.current = websocketSession;
    }

    @Override
    public TurnResult send(TurnRequest request, TurnObserver observer, Instant deadline) {
      if (!onHttp && kind() == TransportKind.HTTP) {
        switchTo(http());
      }
      try {
        return current.send(request, observer, deadline);
      } catch (TransportFailure f) {
        if (onHttp || f.kind() != TransportFailure.Kind.UPGRADE) {
          throw f;
        }
        switchTo(fallBack(f.getMessage()));
        return current.send(request, observer, deadline);
      }
    }

    private synchronized ModelTransport http() {
      return FallbackTransport.this.http;
    }

    private void switchTo(ModelTransport transport) {
      current.close();
      current = transport.openSession();
      onHttp = true;
    }

    @Override
    public void close() {
      current.close();
    }
  }
}
