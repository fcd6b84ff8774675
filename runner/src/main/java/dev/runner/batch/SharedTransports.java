package dev.runner.batch;

import dev.runner.config.EmulatorSettings;
import dev.runner.config.ProviderConfig;
import dev.runner.config.RunConfig;
import dev.runner.config.Transport;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One transport, and so one connection pool (WebSocket lanes or sockets, the HTTP keep-alive pool), per provider and
 * transport, shared by every task that resolves to them; opened at the first task that needs it, closed at the end.
 * A transport takes its listener when it is made, yet a task needs its own timings: callbacks come on the thread that
 * sends (see {@link TransportListener}), so each task binds its listener to its thread while it runs.
 */
final class SharedTransports implements AutoCloseable {
  private record Key(ProviderConfig provider, Transport transport, boolean explicit, EmulatorSettings emulator) {}

  private final Connector connector;
  private final Map<Key, Connector.Connection> open = new LinkedHashMap<>();
  private final ThreadLocal<TransportListener> current = new ThreadLocal<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong websocketHandshakes = new AtomicLong();
  /** Per model turn across all tasks, in ms: request sent to response completed, and to the first event. */
  private final Samples turnMs = new Samples();
  private final Samples turnFirstEventMs = new Samples();
  private final AtomicLong fallbacks = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final TransportListener router = new Router();

  SharedTransports(Connector connector) {
    this.connector = connector;
  }

  /** The shared transport for {@code config}, opened on first use. */
  synchronized ModelTransport transportFor(RunConfig config) {
    Key key = new Key(config.provider(), config.transport().transport(), config.transport().explicit(),
        config.provider().embedded() ? config.emulator() : null);
    return open.computeIfAbsent(key, k -> connector.open(config, router)).transport();
  }

  /** Sends this thread's transport callbacks to {@code listener} until {@link #unbind}. */
  void bind(TransportListener listener) {
    current.set(listener);
  }

  void unbind() {
    current.remove();
  }

  /** Connections opened across all tasks (sockets with their handshakes, or HTTP connections). */
  long connections() {
    return connections.get();
  }

  /** Of {@link #connections}, those that were WebSocket upgrades; the rest are plain HTTP connections. */
  long websocketHandshakes() {
    return websocketHandshakes.get();
  }

  double[] turnMs() {
    return turnMs.values();
  }

  double[] turnFirstEventMs() {
    return turnFirstEventMs.values();
  }

  long fallbacks() {
    return fallbacks.get();
  }

  long retries() {
    return retries.get();
  }

  synchronized int pools() {
    return open.size();
  }

  @Override
  public synchronized void close() {
    List<Connector.Connection> all = new ArrayList<>(open.values());
    open.clear();
    for (Connector.Connection c : all) {
      try (AutoCloseable resources = c.resources()) {
        c.transport().close();
      } catch (Exception e) {
        // closing at the end of the batch: every result is already written
      }
    }
  }

  /** Counts for the whole batch, then forwards to the listener bound on the calling thread, if any. */
  private final class Router implements TransportListener {
    private TransportListener target() {
      TransportListener l = current.get();
      return l == null ? TransportListener.NONE : l;
    }

    @Override
    public void connectStart(TransportKind kind, String url) {
      connections.incrementAndGet();
      if (kind == TransportKind.WEBSOCKET) {
        websocketHandshakes.incrementAndGet();
      }
      target().connectStart(kind, url);
    }

    @Override
    public void connectEnd(TransportKind kind, ConnectTimings timings) {
      target().connectEnd(kind, timings);
    }

    @Override
    public void requestSent(TransportKind kind, long bytes, int frames, boolean incremental) {
      target().requestSent(kind, bytes, frames, incremental);
    }

    @Override
    public void firstEvent(java.time.Duration sinceSent) {
      turnFirstEventMs.add(sinceSent.toNanos() / 1e6);
      target().firstEvent(sinceSent);
    }

    @Override
    public void firstOutputDelta(java.time.Duration sinceSent) {
      target().firstOutputDelta(sinceSent);
    }

    @Override
    public void responseCompleted(dev.runner.protocol.ResponseInfo response, java.time.Duration sinceSent) {
      turnMs.add(sinceSent.toNanos() / 1e6);
      target().responseCompleted(response, sinceSent);
    }

    @Override
    public void bytesReceived(long bytes) {
      target().bytesReceived(bytes);
    }

    @Override
    public void framesReceived(int frames) {
      target().framesReceived(frames);
    }

    @Override
    public void retry(int attempt, String reason, java.time.Duration backoff) {
      retries.incrementAndGet();
      target().retry(attempt, reason, backoff);
    }

    @Override
    public void fallback(String reason) {
      fallbacks.incrementAndGet();
      target().fallback(reason);
    }

    @Override
    public void reconnect(String reason) {
      target().reconnect(reason);
    }

    @Override
    public void rotation(java.time.Duration age) {
      target().rotation(age);
    }
  }

  /** A growing list of doubles, appended from many task threads. */
  private static final class Samples {
    private double[] values = new double[64];
    private int size;

    synchronized void add(double v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized double[] values() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
