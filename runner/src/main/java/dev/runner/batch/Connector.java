package dev.runner.batch;

import dev.runner.config.RunConfig;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportListener;

/**
 * Opens a provider's transport for a batch. The CLI supplies it, as it alone may start the embedded emulator; the
 * batch opens one per provider and transport and shares it between tasks.
 */
@FunctionalInterface
public interface Connector {
  /** Opens the transport {@code config} names, reporting to {@code listener}. Failures are {@code RunnerException}s. */
  Connection open(RunConfig config, TransportListener listener);

  /** An open transport and what must be closed after it (an embedded emulator, or nothing). */
  record Connection(ModelTransport transport, AutoCloseable resources) {}
}
