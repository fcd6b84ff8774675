package dev.runner.transport.websocket;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import dev.runner.transport.Inbound;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * The provider's open WebSockets. Without lanes a session borrows a socket for its lifetime and gives it back, so
 * sequential sessions pay one handshake; with lanes up to {@link #MAX_LANES} sessions share a socket, each under its
 * own {@code stream_id}. Sockets near their maximum age are not handed out again.
 */
final class WsPool {
  static final int MAX_LANES = 16;
  private static final Log LOG = Log.of("transport");

  private final boolean lanes;
  private final Clock clock;
  private final Duration usableAge;
  private final BiFunction<Instant, Boolean, WsConnection> opener;
  private final Deque<WsConnection> idle = new ArrayDeque<>();
  private final List<WsConnection> shared = new ArrayList<>();
  private final ReentrantLock opening = new ReentrantLock();
  private int laneCounter;
  private boolean closed;

  /** @param opener opens a socket before the deadline; the flag says whether this replaces a broken one */
  WsPool(boolean lanes, Clock clock, Duration usableAge, BiFunction<Instant, Boolean, WsConnection> opener) {
    this.lanes = lanes;
    this.clock = clock;
    this.usableAge = usableAge;
    this.opener = opener;
  }

  /** A borrowed socket and the lane this session reads from; {@code fresh} when it was opened for this lease. */
  record Lease(WsConnection connection, String lane, boolean fresh) {
    BlockingQueue<Inbound> queue() {
      return connection.lane(lane);
    }

    /** The {@code stream_id} to send, or null outside lanes. */
    String streamId() {
      return WsConnection.NO_LANE.equals(lane) ? null : lane;
    }
  }

  Lease acquire(Instant deadline, boolean replacing) {
    Lease pooled = pooled();
    if (pooled != null) {
      return pooled;
    }
    if (!lanes) {
      return opened(opener.apply(deadline, replacing));
    }
    // one handshake at a time: sessions that start together then share the socket the first one opens
    awaitOpening(deadline);
    try {
      pooled = pooled();
      return pooled != null ? pooled : opened(opener.apply(deadline, replacing));
    } finally {
      opening.unlock();
    }
  }

  private synchronized Lease pooled() {
    if (closed) {
      throw new IllegalStateException("the WebSocket pool is closed");
    }
    if (lanes) {
      for (WsConnection c : shared) {
        if (usable(c) && c.laneCount() < MAX_LANES) {
          return lease(c, false);
        }
      }
      return null;
    }
    while (!idle.isEmpty()) {
      WsConnection c = idle.pop();
      if (usable(c)) {
        LOG.debug(() -> "reusing a pooled WebSocket, age " + c.age(clock).toSeconds() + " s");
        return lease(c, false);
      }
      c.close();
    }
    return null;
  }

  private synchronized Lease opened(WsConnection fresh) {
    if (lanes) {
      shared.add(fresh);
    }
    return lease(fresh, true);
  }

  private void awaitOpening(Instant deadline) {
    long left = Duration.between(Instant.now(clock), deadline).toMillis();
    try {
      if (!opening.tryLock(Math.max(0, left), TimeUnit.MILLISECONDS)) {
        throw RunnerException.timeout("the turn deadline passed while another session opened the shared WebSocket",
            "raise --timeout");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.transport("interrupted while waiting for the shared WebSocket", null, e);
    }
  }

  private Lease lease(WsConnection c, boolean fresh) {
    String lane = lanes ? "lane-" + (++laneCounter) : WsConnection.NO_LANE;
    c.lane(lane).clear();
    return new Lease(c, lane, fresh);
  }

  private boolean usable(WsConnection c) {
    return c.isOpen() && !c.retiring() && c.age(clock).compareTo(usableAge) < 0;
  }

  /** Gives a lease back; a socket that is closed, retiring or too old is closed once nobody uses it. */
  synchronized void release(Lease lease) {
    WsConnection c = lease.connection();
    c.removeLane(lease.lane());
    if (closed || !usable(c)) {
      if (c.laneCount() == 0) {
        shared.remove(c);
        c.close();
      }
      return;
    }
    if (!lanes) {
      idle.push(c);
    }
  }

  /** Stops handing the socket out; it closes when its last lease is released. */
  synchronized void retire(Lease lease) {
    lease.connection().retire();
    release(lease);
  }

  synchronized void close() {
    closed = true;
    idle.forEach(WsConnection::close);
    shared.forEach(WsConnection::close);
    idle.clear();
    shared.clear();
  }
}
