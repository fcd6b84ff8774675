package dev.runner.emulator;

import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * A started emulator. Thread-safe. {@link #close()} stops it and frees the port; it is idempotent.
 */
public final class RunningEmulator implements AutoCloseable {
  private final DisposableServer server;
  private final LoopResources loops;
  private final EmulatorContext ctx;
  private final String scheme;
  private final String caPem;

  RunningEmulator(DisposableServer server, LoopResources loops, EmulatorContext ctx, String scheme, String caPem) {
    this.server = server;
    this.loops = loops;
    this.ctx = ctx;
    this.scheme = scheme;
    this.caPem = caPem;
  }

  /** The TCP port it listens on (the chosen one when started with port 0). */
  public int port() {
    return server.port();
  }

  /** {@code http://HOST:PORT/v1} (or https with TLS): what a provider's {@code base_url} should be. */
  public String baseUrl() {
    return scheme + "://" + hostForUrl() + ":" + port() + "/v1";
  }

  /** The self-signed certificate as PEM when started with TLS, else null. */
  public String caPem() {
    return caPem;
  }

  /** The scenario being played. */
  public String scenarioName() {
    return ctx.scenario().name();
  }

  /** A consistent snapshot of the counters. */
  public EmulatorStats stats() {
    return ctx.stats().snapshot();
  }

  /** Zeroes the stats, forgets stored responses and re-arms one-shot faults (open WebSockets keep their caches). */
  public void reset() {
    ctx.reset();
  }

  /** Blocks until the server has stopped (closed by another thread), at most {@code timeout}. */
  public boolean awaitClose(Duration timeout) {
    try {
      server.onDispose().block(timeout);
      return true;
    } catch (IllegalStateException e) {
      return false; // block() timed out
    }
  }

  @Override
  public void close() {
    if (!server.isDisposed()) {
      server.disposeNow(Duration.ofSeconds(5));
    }
    loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
  }

  private String hostForUrl() {
    String h = ctx.options().host();
    if (h.equals("0.0.0.0") || h.equals("::")) {
      return "127.0.0.1";
    }
    return h.contains(":") ? "[" + h + "]" : h;
  }
}
