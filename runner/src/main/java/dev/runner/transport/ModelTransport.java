package dev.runner.transport;

import dev.runner.protocol.ResponseRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * A client for one provider's {@code /responses} endpoint. It owns the provider's connection pool: sessions borrow
 * connections and give them back, so sequential sessions in one process reuse them. Thread-safe; sessions may be opened
 * from several threads. Create one with {@link Transports#create}.
 */
public interface ModelTransport extends AutoCloseable {
  /** A new conversation. Opening is cheap: connections are made at the first turn, unless {@link #preconnect} ran. */
  TransportSession openSession();

  /**
   * Compacts a conversation with {@code POST {base_url}/responses/compact}, sending {@code request}'s model,
   * instructions and whole input. Empty when this transport has no such call (the default): the caller then relies on
   * server-side compaction ({@code context_management}) instead. Blocks at most until {@code deadline}; failures are
   * those of {@link TransportSession#send}.
   */
  default Optional<Compacted> compact(ResponseRequest request, Instant deadline) {
    return Optional.empty();
  }

  /**
   * Starts connecting in the background, so that the first session's first turn finds a connection ready (or the
   * connect's failure, reported as that turn's own). For a caller that knows a session will follow: a run that ends
   * without one has opened a connection for nothing. Never blocks; does nothing by default.
   */
  default void preconnect(Instant deadline) {}

  /** Which wire this transport speaks now (a WebSocket transport reports HTTP once it has fallen back). */
  TransportKind kind();

  /** Closes every pooled connection. Sessions still open fail their next turn. */
  @Override
  void close();
}
