package dev.runner.transport;

import dev.runner.protocol.ResponseInfo;
import java.time.Duration;
import java.util.List;

/** Fans callbacks out to several listeners, in order. */
record CompositeTransportListener(List<TransportListener> listeners) implements TransportListener {
  @Override
  public void connectStart(TransportKind kind, String url) {
    for (TransportListener l : listeners) {
      l.connectStart(kind, url);
    }
  }

  @Override
  public void connectEnd(TransportKind kind, ConnectTimings timings) {
    for (TransportListener l : listeners) {
      l.connectEnd(kind, timings);
    }
  }

  @Override
  public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
    for (TransportListener l : listeners) {
      l.requestSent(kind, bytes, frames, incremental);
    }
  }

  @Override
  public void firstEvent(Duration sinceSent) {
    for (TransportListener l : listeners) {
      l.firstEvent(sinceSent);
    }
  }

  @Override
  public void firstOutputDelta(Duration sinceSent) {
    for (TransportListener l : listeners) {
      l.firstOutputDelta(sinceSent);
    }
  }

  @Override
  public void responseCompleted(ResponseInfo response, Duration sinceSent) {
    for (TransportListener l : listeners) {
      l.responseCompleted(response, sinceSent);
    }
  }

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
    for (TransportListener l : listeners) {
      l.retry(attempt, reason, backoff);
    }
  }

  @Override
  public void fallback(String reason) {
    for (TransportListener l : listeners) {
      l.fallback(reason);
    }
  }

  @Override
  public void reconnect(String reason) {
    for (TransportListener l : listeners) {
      l.reconnect(reason);
    }
  }

  @Override
  public void rotation(Duration age) {
    for (TransportListener l : listeners) {
      l.rotation(age);
    }
  }
}
