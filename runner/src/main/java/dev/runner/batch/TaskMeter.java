package dev.runner.batch;

import dev.runner.loop.LoopListener;
import dev.runner.protocol.Usage;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one task took, from its loop's and its share of the transport's callbacks. A few additions per callback, under
 * the object's lock: transport callbacks come on the task's thread, tool callbacks on tool threads.
 */
final class TaskMeter implements LoopListener, TransportListener {
  private final LongSupplier nanos;
  private final long start;
  private int turns;
  private Double firstEventMs;
  private Usage tokens = Usage.ZERO;
  private long bytesSent;
  private long bytesReceived;
  private long connects;
  private TransportKind kind;
  private String finalMessage;

  TaskMeter(LongSupplier nanos) {
    this.nanos = nanos;
    this.start = nanos.getAsLong();
  }

  @Override
  public synchronized void turnStarted(int turn, boolean repair) {
    turns++;
  }

  @Override
  public synchronized void turnCompleted(int turn, Usage usage, java.util.List<dev.runner.protocol.Item> output) {
    tokens = tokens.plus(usage);
  }

  @Override
  public synchronized void finalMessage(String text) {
    finalMessage = text;
  }

  @Override
  public synchronized void connectStart(TransportKind k, String url) {
    connects++;
  }

  @Override
  public synchronized void connectEnd(TransportKind k, ConnectTimings timings) {
    kind = k;
  }

  @Override
  public synchronized void requestSent(TransportKind k, long bytes, int frames, boolean incremental) {
    kind = k;
    bytesSent += bytes;
  }

  @Override
  public synchronized void firstEvent(Duration sinceSent) {
    if (firstEventMs == null) {
      firstEventMs = sinceSent.toNanos() / 1e6;
    }
  }

  @Override
  public synchronized void bytesReceived(long bytes) {
    bytesReceived += bytes;
  }

  /** The last final message the model gave (before validation), or null. */
  synchronized String finalMessage() {
    return finalMessage;
  }

  /** The transport the task used last, or null when it sent nothing. */
  synchronized String transport() {
    return kind == null ? null : kind == TransportKind.WEBSOCKET ? "websocket" : "http";
  }

  synchronized TaskResult.Timing timing() {
    return new TaskResult.Timing((nanos.getAsLong() - start) / 1e6, turns, firstEventMs, tokens.inputTokens(),
        tokens.outputTokens(), bytesSent, bytesReceived, connects);
  }
}
