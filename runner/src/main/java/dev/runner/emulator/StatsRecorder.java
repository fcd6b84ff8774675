package dev.runner.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/** The live counters behind {@link EmulatorStats}; one per server, updated from Netty threads. */
final class StatsRecorder {
  enum Transport {
    HTTP,
    WEBSOCKET
  }

  enum Counter {
    HTTP_REQUESTS,
    WS_REQUESTS,
    WS_HANDSHAKES,
    TCP_CONNECTIONS,
    FULL_CREATES,
    INCREMENTAL_CREATES,
    CACHE_HITS,
    CACHE_MISSES,
    INJECTED_MS,
    FAULTS,
    COMPACTIONS,
    COMPACT_REQUESTS
  }

  private static final int TRAFFIC = 6;
  private static final int MAX_TIMESTAMPS = 10_000;

  private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);
  // per transport: wire in, wire out, payload in, payload out, frames in, frames out
  private final AtomicLongArray traffic = new AtomicLongArray(2 * TRAFFIC);
  private final ArrayDeque<Long> firstBytes = new ArrayDeque<>();
  private final java.util.TreeMap<String, Long> closes = new java.util.TreeMap<>();

  void add(Counter c, long delta) {
    counters.addAndGet(c.ordinal(), delta);
  }

  void increment(Counter c) {
    add(c, 1);
  }

  void wire(Transport t, long in, long out) {
    traffic.addAndGet(t.ordinal() * TRAFFIC, in);
    traffic.addAndGet(t.ordinal() * TRAFFIC + 1, out);
  }

  void payloadIn(Transport t, long bytes) {
    traffic.addAndGet(t.ordinal() * TRAFFIC + 2, bytes);
    traffic.addAndGet(t.ordinal() * TRAFFIC + 4, 1);
  }

  void payloadOut(Transport t, long bytes) {
    traffic.addAndGet(t.ordinal() * TRAFFIC + 3, bytes);
    traffic.addAndGet(t.ordinal() * TRAFFIC + 5, 1);
  }

  synchronized void firstByte(long epochMicros) {
    if (firstBytes.size() == MAX_TIMESTAMPS) {
      firstBytes.removeFirst();
    }
    firstBytes.addLast(epochMicros);
  }

  /** One WebSocket connection ended; see {@link EmulatorStats#websocketCloses} for the keys. */
  synchronized void websocketClosed(String key) {
    closes.merge(key, 1L, Long::sum);
  }

  synchronized void reset() {
    closes.clear();
    for (int i = 0; i < counters.length(); i++) {
      counters.set(i, 0);
    }
    for (int i = 0; i < traffic.length(); i++) {
      traffic.set(i, 0);
    }
    firstBytes.clear();
  }

  synchronized EmulatorStats snapshot() {
    List<Long> stamps = new ArrayList<>(firstBytes);
    return new EmulatorStats(get(Counter.HTTP_REQUESTS), get(Counter.WS_REQUESTS), get(Counter.WS_HANDSHAKES),
        get(Counter.TCP_CONNECTIONS), traffic(Transport.HTTP), traffic(Transport.WEBSOCKET),
        get(Counter.FULL_CREATES), get(Counter.INCREMENTAL_CREATES), get(Counter.CACHE_HITS),
        get(Counter.CACHE_MISSES), get(Counter.INJECTED_MS), get(Counter.FAULTS), get(Counter.COMPACTIONS),
        get(Counter.COMPACT_REQUESTS), stamps, closes);
  }

  private long get(Counter c) {
    return counters.get(c.ordinal());
  }

  private EmulatorStats.Traffic traffic(Transport t) {
    int b = t.ordinal() * TRAFFIC;
    return new EmulatorStats.Traffic(traffic.get(b), traffic.get(b + 1), traffic.get(b + 2), traffic.get(b + 3),
        traffic.get(b + 4), traffic.get(b + 5));
  }
}
