package dev.runner.transport;

import dev.runner.protocol.ResponseInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records callbacks by name (traffic counters apart) so tests can assert their order. */
public final class RecordingListener implements TransportListener {
  public final List<String> calls = new ArrayList<>();
  public long bytes;
  public int frames;
  public final List<String> reasons = new ArrayList<>();

  @Override
  public void connectStart(TransportKind kind, String url) {
    calls.add("connectStart");
  }

  @Override
  public void connectEnd(TransportKind kind, ConnectTimings timings) {
    calls.add("connectEnd");
  }

  @Override
  public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
    calls.add("requestSent:" + (incremental ? "incremental" : "full"));
  }

  @Override
  public void firstEvent(Duration sinceSent) {
    calls.add("firstEvent");
  }

  @Override
  public void firstOutputDelta(Duration sinceSent) {
    calls.add("firstOutputDelta");
  }

  @Override
  public void responseCompleted(ResponseInfo response, Duration sinceSent) {
    calls.add("responseCompleted");
  }

  @Override
  public void bytesReceived(long n) {
    bytes += n;
  }

  @Override
  public void framesReceived(int n) {
    frames += n;
  }

  @Override
  public void retry(int attempt, String reason, Duration backoff) {
    calls.add("retry");
    reasons.add(reason);
  }

  @Override
  public void fallback(String reason) {
    calls.add("fallback");
    reasons.add(reason);
  }

  @Override
  public void reconnect(String reason) {
    calls.add("reconnect");
    reasons.add(reason);
  }

  @Override
  public void rotation(Duration age) {
    calls.add("rotation");
  }
}
