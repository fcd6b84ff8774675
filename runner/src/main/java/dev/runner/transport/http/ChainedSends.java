package dev.runner.transport.http;

import dev.runner.protocol.ResponseInfo;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import java.time.Duration;

/**
 * Passes every callback on, with {@link #requestSent} marked incremental: the exchange that reports a POST leaving
 * does not know its body carries {@code previous_response_id}; the session reading a chained POST does.
 */
final class ChainedSends implements TransportListener {
  private final TransportListener delegate;

  ChainedSends(TransportListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void connectStart(TransportKind kind, String url) {
    delegate.connectStart(kind, url);
  }

  @Override
  public void connectEnd(TransportKind kind, ConnectTimings timings) {
    delegate.connectEnd(kind, timings);
  }

  @Override
  public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
    delegate.requestSent(kind, bytes, frames, true);
  }

  @Override
  public void firstEvent(Duration sinceSent) {
    delegate.firstEvent(sinceSent);
  }

  @Override
  public void firstOutputDelta(Duration sinceSent) {
    delegate.firstOutputDelta(sinceSent);
  }

  @Override
  public void responseCompleted(ResponseInfo response, Duration sinceSent) {
    delegate.responseCompleted(response, sinceSent);
  }

  @Override
  public void bytesReceived(long bytes) {
    delegate.bytesReceived(bytes);
  }

  @Override
  public void framesReceived(int frames) {
    delegate.framesReceived(frames);
  }

  @Override
  public void retry(int attempt, String reason, Duration backoff) {
    delegate.retry(attempt, reason, backoff);
  }

  @Override
  public void fallback(String reason) {
    delegate.fallback(reason);
  }

  @Override
  public void reconnect(String reason) {
    delegate.reconnect(reason);
  }

  @Override
  public void rotation(Duration age) {
    delegate.rotation(age);
  }
}
