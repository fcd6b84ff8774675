package dev.runner.transport;

import dev.runner.protocol.StreamEvent;

/**
 * What IO threads hand to the session thread through a queue, so listener and observer callbacks all run on the
 * caller's thread and in order.
 */
public sealed interface Inbound {
  /** A new connection was made for this attempt. */
  record Connected(String url, ConnectTimings timings) implements Inbound {}

  /** The request left: {@code bytes} of body. */
  record Sent(long bytes) implements Inbound {}

  /**
   * One decoded event and the size of its JSON; {@code retryAfter} is the wait an {@code error} event's {@code
   * headers} asked for (WebSocket), else null.
   */
  record Event(StreamEvent event, int bytes, java.time.Duration retryAfter) implements Inbound {
    public Event(StreamEvent event, int bytes) {
      this(event, bytes, null);
    }
  }

  /** The stream or connection ended; {@code why} says how. */
  record End(String why) implements Inbound {}

  /** The attempt failed. */
  record Failure(TransportFailure failure) implements Inbound {}
}
