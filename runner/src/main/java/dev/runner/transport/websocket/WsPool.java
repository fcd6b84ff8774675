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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * The provider's open WebSockets. Without lanes a session borrows a socket for its lifetime and gives it back, so
 * sequential sessions pay one handshake; with lanes up to {@link #MAX_LANES} sessions share a socket, each under its
 * own {@code stream_id}. Sockets near their maximum age are not handed out again.
 */
final class WsPool {
  static final int MAX_LANES = 16;
  /**
   * A server keeps a lane for every stream_id a socket has carried until the socket closes (the emulator refuses the
   * 33rd with websocket_stream_limit_reached), while a name whose response has ended may carry the next one (its lane
   * then caches that response instead). So a lane given back after its last response ended is handed out again on the
   * same socket; one given up mid-response is not (that response's frames may still arrive), and a socket whose ids
   * are all used up that way is retired once its sessions end.
   */
  static final int MAX_STREAM_IDS = 32;
  private static final Log LOG = Log.of("transport");

  private final boolean lanes;
  private final Clock clock;
  private final Duration usableAge;
  private final BiFunction<Instant, Boolean, WsConnection> opener;
  private final Deque<WsConnection> idle = new ArrayDeque<>();
  private final List<WsConnection> shared = new ArrayList<>();
  /** Every socket this pool opened that may still be open, leased ones included: {@link #close} ends them all. */
  private final java.util.Set<WsConnection> live = java.util.Collections.newSetFromMap(
      new java.util.IdentityHashMap<>());
  private final ReentrantLock opening = new ReentrantLock();
  private int laneCounter;
  /** The stream ids of each shared socket; see {@link #MAX_STREAM_IDS}. */
  private final Map<WsConnection, StreamIds> streamIds = new IdentityHashMap<>();
  private boolean closed;
  /** A socket being opened ahead of the first lease ({@link #preopen}), until a lease takes it. */
  private CompletableFuture<WsConnection> preopening;

  /** @param opener opens a socket before the deadline; the flag says whether this replaces a broken one */
  WsPool(boolean lanes, Clock clock, Duration usableAge, BiFunction<Instant, Boolean, WsConnection> opener) {
    this.lanes = lanes;
    this.clock = clock;
    this.usableAge = usableAge;
    this.opener = opener;
  }

  /** The stream ids one shared socket has carried: how many, and those free to carry another response. */
  private static final class StreamIds {
    private int named;
    private final Deque<String> free = new ArrayDeque<>();

    boolean available() {
      return !free.isEmpty() || named < MAX_STREAM_IDS;
    }
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
      return opened(open(deadline, replacing));
    }
    // one handshake at a time: sessions that start together then share the socket the first one opens
    awaitOpening(deadline);
    try {
      pooled = pooled();
      return pooled != null ? pooled : opened(open(deadline, replacing));
    } finally {
      opening.unlock();
    }
  }

  /**
   * Starts opening a socket on a thread of its own, so that the handshake overlaps whatever the caller does before its
   * first turn. The first lease that needs a socket takes this one, or its failure, as if it had opened it itself. Does
   * nothing when a socket is pooled or already being opened.
   */
  synchronized void preopen(Instant deadline) {
    if (closed || preopening != null || !idle.isEmpty() || !shared.isEmpty()) {
      return;
    }
    CompletableFuture<WsConnection> pending = new CompletableFuture<>();
    preopening = pending;
    Thread.ofPlatform().daemon().name("runner-ws-preopen").start(() -> {
      try {
        pending.complete(opener.apply(deadline, false));
      } catch (RuntimeException | Error e) {
        pending.completeExceptionally(e);
      }
    });
  }

  /** The socket {@link #preopen} started, waited for until {@code deadline}; a new one when there is none. */
  private WsConnection open(Instant deadline, boolean replacing) {
    CompletableFuture<WsConnection> pending = takePreopening();
    if (pending == null) {
      return opener.apply(deadline, replacing);
    }
    long left = Duration.between(Instant.now(clock), deadline).toMillis();
    try {
      WsConnection c = pending.get(Math.max(1, left), TimeUnit.MILLISECONDS);
      // closed since (the server's idle limit, a network change): open another, as for a pooled socket gone bad
      return c.isOpen() ? c : opener.apply(deadline, replacing);
    } catch (TimeoutException e) {
      pending.thenAccept(WsConnection::close);
      throw RunnerException.timeout("the turn deadline passed while the first WebSocket was being opened",
          "raise --timeout");
    } catch (ExecutionException e) {
      // the opener's own failure (upgrade refused, connect error, timeout), as if this lease had opened the socket
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw RunnerException.transport("opening the WebSocket failed", null, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.thenAccept(WsConnection::close);
      throw RunnerException.transport("interrupted while waiting for the WebSocket to open", null, e);
    }
  }

  private synchronized CompletableFuture<WsConnection> takePreopening() {
    CompletableFuture<WsConnection> pending = preopening;
    preopening = null;
    return pending;
  }

  private synchronized Lease pooled() {
    if (closed) {
      throw new IllegalStateException("the WebSocket pool is closed");
    }
    if (lanes) {
      for (WsConnection c : shared) {
        if (usable(c) && c.laneCount() < MAX_LANES && ids(c).available()) {
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
    live.removeIf(c -> !c.isOpen());
    live.add(fresh);
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
    String lane = WsConnection.NO_LANE;
    if (lanes) {
      StreamIds ids = ids(c);
      lane = ids.free.poll();
      if (lane == null) {
        ids.named++;
        lane = "lane-" + (++laneCounter);
      }
    }
    c.lane(lane).clear();
    return new Lease(c, lane, fresh);
  }

  private StreamIds ids(WsConnection c) {
    return streamIds.computeIfAbsent(c, k -> new StreamIds());
  }

  private boolean usable(WsConnection c) {
    return c.isOpen() && !c.retiring() && c.age(clock).compareTo(usableAge) < 0;
  }

  /** Gives back a lease whose last response may still be running; see {@link #release(Lease, boolean)}. */
  synchronized void release(Lease lease) {
    release(lease, false);
  }

  /**
   * Gives a lease back; a socket that is closed, retiring, too old or out of stream ids is closed once nobody uses it.
   *
   * @param ended whether the lane's last response ended (or none was sent), so its stream id may carry another
   */
  synchronized void release(Lease lease, boolean ended) {
    WsConnection c = lease.connection();
    c.removeLane(lease.lane());
    if (lanes && !closed) {
      StreamIds ids = ids(c);
      if (ended) {
        ids.free.push(lease.lane());
      } else if (!ids.available()) {
        c.retire();
      }
    }
    if (closed || !usable(c)) {
      if (c.laneCount() == 0) {
        shared.remove(c);
        streamIds.remove(c);
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

  /**
   * Closes every socket, leased ones too (a run that ends on an error may not have released its lease), each with
   * the closing handshake; waits at most {@code wait} for them all to finish it.
   */
  void close(Duration wait) {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    synchronized (this) {
      closed = true;
      if (preopening != null) {
        CompletableFuture<Void> preopened = new CompletableFuture<>();
        // once its handshake ends, which the disposed loops cut short
        preopening.whenComplete((c, e) -> {
          if (c == null) {
            preopened.complete(null);
          } else {
            c.close().whenComplete((v, x) -> preopened.complete(null));
          }
        });
        closing.add(preopened);
        preopening = null;
      }
      live.addAll(idle);
      live.addAll(shared);
      live.forEach(c -> closing.add(c.close()));
      live.clear();
      idle.clear();
      shared.clear();
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug(() -> "WebSocket closing handshakes unfinished after " + wait.toMillis() + " ms: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
