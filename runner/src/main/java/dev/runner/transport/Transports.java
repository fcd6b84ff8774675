package dev.runner.transport;

import dev.runner.transport.http.HttpTransport;
import dev.runner.transport.websocket.WebSocketTransport;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Creates the transport for a provider. {@link TransportKind#WEBSOCKET} not forced falls back to HTTP for good when an
 * upgrade is refused or times out (one warning, {@link TransportListener#fallback}); forced, the refusal is a {@link
 * dev.runner.RunnerException#transport} (exit 4).
 */
public final class Transports {
  private Transports() {}

  public static ModelTransport create(TransportSettings settings, TransportKind kind, boolean forced,
      TransportListener listener) {
    return create(settings, kind, forced, listener, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** With an injected clock and sleeper, so tests observe deadlines and backoffs without waiting. */
  public static ModelTransport create(TransportSettings settings, TransportKind kind, boolean forced,
      TransportListener listener, Clock clock, Sleeper sleeper) {
    RandomGenerator random = RandomGenerator.getDefault();
    return switch (kind) {
      case HTTP -> new HttpTransport(settings, listener, clock, sleeper, random);
      case WEBSOCKET -> forced
          ? new WebSocketTransport(settings, listener, true, clock, sleeper, random)
          : new FallbackTransport(new WebSocketTransport(settings, listener, false, clock, sleeper, random),
              () -> new HttpTransport(settings, listener, clock, sleeper, random), listener);
    };
  }
}
