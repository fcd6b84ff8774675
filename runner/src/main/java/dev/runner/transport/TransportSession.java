package dev.runner.transport;

import java.time.Instant;

/**
 * One conversation over a {@link ModelTransport}. Not thread-safe: one turn at a time, as the loop runs them.
 *
 * <p>{@link #send} blocks the calling thread until the response completes, and every wait inside it (connect,
 * handshake, each event, each backoff) is bounded by {@code deadline}. Failures:
 *
 * <ul>
 * <li>{@code response.failed} or an {@code error} event (after its retries when its code is retryable, such as
 * {@code server_error} or {@code rate_limit_exceeded}), {@code response.incomplete} (never retried; the message names
 * the reason), or an HTTP error that is not retryable: {@link dev.runner.RunnerException#taskFailed} with the API
 * error (exit 1);
 * <li>retries exhausted on connect, IO, 5xx or broken-stream errors: {@link dev.runner.RunnerException#transport}
 * (exit 4), also for a refused WebSocket upgrade when WebSocket was forced, and for an event larger than 64 MiB
 * (never retried: the same answer would come again; anything smaller is read on both wires);
 * <li>the deadline passes, or the stream stays idle through every stream retry: {@link
 * dev.runner.RunnerException#timeout} (exit 5).
 * </ul>
 *
 * After a retry the observer sees the retried response's events from its start again.
 */
public interface TransportSession extends AutoCloseable {
  TurnResult send(TurnRequest request, TurnObserver observer, Instant deadline);

  /** Returns the session's connection to the pool (or closes it when it is no longer usable). */
  @Override
  void close();
}
