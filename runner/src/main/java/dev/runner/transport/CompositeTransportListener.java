package dev.runner.transport;

import dev.runner.protocol.ResponseInfo;
import java.time.Duration;
import java.util.List;

/** Fans callbacks out to several listeners, in order. */
record CompositeTransportListener(List<TransportListener> listeners) implements TransportListener {
  @Override
  public void connectStart(TransportKind kind, String url) {
    listeners.forEach(l -> l.connectStart(kind, url));
  }

  @Override
  public void connectEnd(TransportKind kind, ConnectTimings timings) {
    listeners.forEach(l -> l.connectEnd(kind, timings));
  }

  @Override
  public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
    listeners.forEach(l -> l.requestSent(kind, bytes, frames, incremental));
  }

  @Override
  public void firstEvent(Duration sinceSent) {
    listeners.forEach(l -> l.firstEvent(sinceSent));
  }

  @Override
  public void firstOutputDelta(Duration sinceSent) {
    listeners.forEach(l -> l.firstOutputDelta(sinceSent));
  }

  @Override
  public void responseCompleted(ResponseInfo response, Duration sinceSent) {
    listeners.forEach(l -> l.responseCompleted(response, sinceSent));
  }

  // the two per-event callbacks loop without a capturing lambda: one object less for every event
  @Override
  public void bytesReceived(long bytes) {
    for (TransportListener l : listeners) {
      l.bytesReceived(bytes);
    }
  }

  @Override
  public void framesReceived(int frames) {
    for (TransportListener l : listeners) {
      l.framesReceived(frames);
    }
  }

  @Override
  public void retry(int attempt, String reason, Duration backoff) {
    listeners.forEach(l -> l.retry(attempt, reason, backoff));
  }

  @Override
  public void fallback(String reason) {
    listeners.forEach(l -> l.fallback(reason));
  }

  @Override
  public void reconnect(String reason) {
    listeners.forEach(l -> l.reconnect(reason));
  }

  @Override
  public void rotation(Duration age) {
    listeners.forEach(l -> l.rotation(age));
  }
}
