package dev.runner.transport;

/**
 * A client for one provider's {@code /responses} endpoint. It owns the provider's connection pool: sessions borrow
 * connections and give them back, so sequential sessions in one process reuse them. Thread-safe; sessions may be opened
 * from several threads. Create one with {@link Transports#create}.
 */
public interface ModelTransport extends AutoCloseable {
  /** A new conversation. Opening is cheap: connections are made lazily, at the first turn. */
  TransportSession openSession();

  /** Which wire this transport speaks now (a WebSocket transport reports HTTP once it has fallen back). */
  TransportKind kind();

  /** Closes every pooled connection. Sessions still open fail their next turn. */
  @Override
  void close();
}
