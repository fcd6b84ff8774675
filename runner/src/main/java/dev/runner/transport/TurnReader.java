package dev.runner.transport;

import dev.runner.RunnerException;
import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseInfo;
import dev.runner.protocol.StreamEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads one attempt's {@link Inbound} queue on the session thread: fires listener and observer callbacks in order,
 * collects {@code response.output_item.done} items by {@code output_index} (the terminal response's {@code output}
 * when there were none), and ends at the terminal event. Every wait is the smaller of the idle timeout and what is
 * left before the deadline. {@code response.completed} is the only success; {@code response.failed},
 * {@code response.incomplete} and {@code error} are {@link TransportFailure.Kind#API} failures.
 */
public final class TurnReader {
  private final Clock clock;
  private final TransportListener listener;
  private final Duration idle;

  public TurnReader(Clock clock, TransportListener listener, Duration idle) {
    this.clock = clock;
    this.listener = listener;
    this.idle = idle;
  }

  /** The terminal response and its items. */
  public record Outcome(ResponseInfo response, List<Item> output) {}

  /**
   * @throws TransportFailure for a broken, idle or failed stream
   * @throws RunnerException a timeout when the deadline passes
   */
  public Outcome read(BlockingQueue<Inbound> queue, TransportKind kind, TurnObserver observer, Instant deadline,
      Instant sentAt, String where) {
    Map<Integer, Item> items = new TreeMap<>();
    boolean firstEvent = true;
    boolean firstDelta = true;
    Instant sent = sentAt;
    while (true) {
      Inbound next = poll(queue, deadline, where);
      // instanceof rather than pattern switches: JDK 25 spins a class for each pattern switch at its first use (about
      // a millisecond on a small machine, in the first turn), which the AOT cache cannot hold
      if (next instanceof Inbound.Event ev) {
        listener.framesReceived(1);
        listener.bytesReceived(ev.bytes());
        StreamEvent event = ev.event();
        if (firstEvent) {
          firstEvent = false;
          listener.firstEvent(since(sent));
        }
        if (firstDelta && (event instanceof StreamEvent.OutputTextDelta
            || event instanceof StreamEvent.FunctionCallArgumentsDelta)) {
          firstDelta = false;
          listener.firstOutputDelta(since(sent));
        }
        observer.onEvent(event);
        if (event instanceof StreamEvent.OutputItemDone done) {
          items.put(done.outputIndex(), done.item());
        } else if (event instanceof StreamEvent.Completed c) {
          return finish(c.response(), items, sent);
        } else if (event instanceof StreamEvent.Incomplete i) {
          throw incomplete(i.response());
        } else if (event instanceof StreamEvent.Failed f) {
          throw TransportFailure.api(f.response().error() != null
              ? f.response().error()
              : new dev.runner.protocol.ApiError(0, null, "response_failed", "response.failed without an error",
                  null));
        } else if (event instanceof StreamEvent.Error e) {
          throw TransportFailure.api(e.error(), ev.retryAfter());
        }
        // other events report progress: the observer has seen them
      } else if (next instanceof Inbound.Sent s) {
        sent = Instant.now(clock);
        listener.requestSent(kind, s.bytes(), 1, false);
      } else if (next instanceof Inbound.Connected c) {
        listener.connectStart(kind, c.url());
        listener.connectEnd(kind, c.timings());
      } else if (next instanceof Inbound.End e) {
        throw TransportFailure.of(TransportFailure.Kind.STREAM,
            "stream from " + where + " ended before response.completed (" + e.why() + ")", null);
      } else {
        throw ((Inbound.Failure) next).failure();
      }
    }
  }

  /**
   * The loop cannot continue from a cut-off answer (a half-written tool call or JSON result), and a retry would be cut
   * off the same way: {@code response.incomplete} is a task failure (exit 1) that names the reason.
   */
  private static TransportFailure incomplete(ResponseInfo response) {
    String reason = response.incompleteReason() == null ? "no reason given" : response.incompleteReason();
    return TransportFailure.api(new dev.runner.protocol.ApiError(0, null, "response_incomplete",
        "the response ended incomplete (" + reason + ")", null), null);
  }

  private Outcome finish(ResponseInfo response, Map<Integer, Item> items, Instant sent) {
    listener.responseCompleted(response, since(sent));
    // the streamed items are authoritative; a server that streams none still lists them in the response itself
    return new Outcome(response, items.isEmpty() ? response.output() : new ArrayList<>(items.values()));
  }

  private Duration since(Instant sent) {
    Duration d = Duration.between(sent, Instant.now(clock));
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Inbound poll(BlockingQueue<Inbound> queue, Instant deadline, String where) {
    Duration left = Duration.between(Instant.now(clock), deadline);
    if (left.isNegative() || left.isZero()) {
      throw deadlineError(where);
    }
    Duration wait = left.compareTo(idle) < 0 ? left : idle;
    Inbound next;
    try {
      next = queue.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.transport("interrupted while waiting for " + where, null, e);
    }
    if (next != null) {
      return next;
    }
    if (!Instant.now(clock).isBefore(deadline) || wait.compareTo(idle) < 0) {
      throw deadlineError(where);
    }
    throw TransportFailure.of(TransportFailure.Kind.IDLE,
        "no event from " + where + " for " + idle.toMillis() + " ms", null);
  }

  private static RunnerException deadlineError(String where) {
    return RunnerException.timeout("the turn deadline passed while waiting for " + where,
        "raise --timeout or make the task smaller");
  }
}
