package dev.runner.transport;

import dev.runner.protocol.ResponseInfo;
import java.time.Duration;

/**
 * Timing and traffic callbacks, all on the thread that called {@link TransportSession#send}, in this order per turn:
 *
 * <ol>
 * <li>{@link #connectStart} then {@link #connectEnd}, only when a new connection is opened (a reused connection fires
 * neither);
 * <li>{@link #requestSent};
 * <li>{@link #bytesReceived} / {@link #framesReceived} as data arrives, {@link #firstEvent} once, {@link
 * #firstOutputDelta} once at the first text or arguments delta;
 * <li>{@link #responseCompleted} at the terminal event.
 * </ol>
 *
 * A failed attempt is followed by {@link #retry} (or {@link #reconnect} / {@link #fallback}) and the order starts
 * again. {@link #rotation} fires before the connect of a proactive reconnect. All methods default to doing nothing.
 * Implementations must be quick and must not throw.
 */
public interface TransportListener {
  TransportListener NONE = new TransportListener() {
  };

  /** A new connection to {@code url} (no secrets in it) is being opened. */
  default void connectStart(TransportKind kind, String url) {}

  default void connectEnd(TransportKind kind, ConnectTimings timings) {}

  /** The request went out: {@code bytes} of body or frame payload in {@code frames} frames (1 for HTTP). */
  default void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {}

  default void firstEvent(Duration sinceSent) {}

  default void firstOutputDelta(Duration sinceSent) {}

  default void responseCompleted(ResponseInfo response, Duration sinceSent) {}

  default void bytesReceived(long bytes) {}

  default void framesReceived(int frames) {}

  /** Attempt {@code attempt} (1-based) failed for {@code reason}; the next one starts after {@code backoff}. */
  default void retry(int attempt, String reason, Duration backoff) {}

  /** The transport switched from WebSocket to HTTP for good. */
  default void fallback(String reason) {}

  /** A new connection replaces a broken or closed one. */
  default void reconnect(String reason) {}

  /** A connection older than max age minus margin is being replaced at a turn boundary. */
  default void rotation(Duration age) {}

  /** Sends every callback to each of {@code listeners} in order. */
  static TransportListener all(java.util.List<TransportListener> listeners) {
    return new CompositeTransportListener(java.util.List.copyOf(listeners));
  }
}
