package dev.runner.metrics;

import dev.runner.loop.LoopListener;
import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseInfo;
import dev.runner.protocol.Usage;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolResult;
import dev.runner.transport.ConnectTimings;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Records one run from the loop's and the transport's callbacks into Micrometer meters ({@link Meter}) and into the
 * per-turn {@link RunReport}. Callbacks arrive from the loop thread, Netty threads and tool threads, so every method
 * is synchronized; each does a few additions.
 */
public final class RunRecorder implements LoopListener, TransportListener {
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Timer> timers = new HashMap<>();
  /** Per event the key string alone costs more than the count; meters with no extra tag go by enum. */
  private final Map<Meter, Counter> plainCounters = new EnumMap<>(Meter.class);
  private final Map<Meter, Timer> plainTimers = new EnumMap<>(Meter.class);
  private final String provider;
  private final String model;
  private final LongSupplier nanoClock;
  private final StartPoint start;
  private String transport;

  private boolean sessionStarted;
  private long sessionStart;
  private long sessionEnd;
  private double startupMs = -1;
  private Usage tokens = Usage.ZERO;
  private boolean success;
  private final List<TurnTiming> turns = new ArrayList<>();
  private final List<TurnTiming.ToolTiming> currentTools = new ArrayList<>();
  private int currentTurn;
  private long turnSent = -1;
  private long lastTurnEnd = -1;
  private double currentFirstEvent = -1;
  private double currentFirstDelta = -1;
  private double currentLatency = -1;
  private double currentClient = -1;
  private String currentMode = "full";
  private long currentBytes;
  private long handshakes;
  private long reconnects;
  private long fallbacks;
  private long retries;
  private long rotations;
  private long bytesSent;
  private long bytesReceived;
  private long framesSent;
  private long framesReceived;
  private long full;
  private long incremental;
  private long toolCalls;
  private long compactions;
  private long toolErrors;
  private double connectMs;

  /**
   * @param start where start-up time counts from
   * @param nanoClock monotonic time source ({@code System::nanoTime} outside tests)
   */
  public RunRecorder(String provider, String transport, String model, StartPoint start, LongSupplier nanoClock) {
    this(provider, transport, model, start, nanoClock, new SimpleMeterRegistry());
  }

  /** As above, recording into {@code registry} (see {@link Registries#forRun}). */
  public RunRecorder(String provider, String transport, String model, StartPoint start, LongSupplier nanoClock,
      MeterRegistry registry) {
    this.registry = registry;
    this.provider = provider;
    this.transport = transport;
    this.model = model;
    this.start = start;
    this.nanoClock = nanoClock;
  }

  private Tags tags() {
    return Tags.of("provider", provider, "transport", transport);
  }

  /** Micrometer's lookup sorts and hashes tags on every call; a turn counts a dozen times, so meters are kept. */
  private String key(Meter m, String... extra) {
    return m.meterName() + '\u0000' + transport + '\u0000' + String.join("\u0000", extra);
  }

  private void count(Meter m, double amount, String... extra) {
    Counter counter = extra.length == 0
        ? plainCounters.computeIfAbsent(m, k -> counter(m, tags()))
        : counters.computeIfAbsent(key(m, extra), k -> counter(m, tags().and(extra)));
    counter.increment(amount);
  }

  private void time(Meter m, double ms, String... extra) {
    Timer timer = extra.length == 0
        ? plainTimers.computeIfAbsent(m, k -> timer(m, tags()))
        : timers.computeIfAbsent(key(m, extra), k -> timer(m, tags().and(extra)));
    timer.record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
  }

  private Counter counter(Meter m, Tags tags) {
    return Counter.builder(m.meterName()).description(m.description()).tags(tags).register(registry);
  }

  private Timer timer(Meter m, Tags tags) {
    return Timer.builder(m.meterName()).description(m.description()).tags(tags).register(registry);
  }

  /** The meters without extra tags carry the transport's: a new transport label means new meters. */
  private void transport(String label) {
    if (!label.equals(transport)) {
      plainCounters.clear();
      plainTimers.clear();
    }
    transport = label;
  }

  @Override
  public synchronized void sessionStarted(String sessionId) {
    sessionStarted = true;
    sessionStart = nanoClock.getAsLong();
  }

  @Override
  public synchronized void turnStarted(int turn, boolean repair) {
    closeTurn();
    currentTurn = turn;
    turnSent = -1;
  }

  @Override
  public synchronized void turnCompleted(int turn, Usage usage, List<Item> output) {
    tokens = tokens.plus(usage);
    count(Meter.TOKENS, usage.inputTokens(), "kind", "input");
    count(Meter.TOKENS, usage.cachedTokens(), "kind", "cached");
    count(Meter.TOKENS, usage.outputTokens(), "kind", "output");
    count(Meter.TOKENS, usage.reasoningTokens(), "kind", "reasoning");
    lastTurnEnd = nanoClock.getAsLong();
  }

  @Override
  public synchronized void toolFinished(int turn, ToolCall call, ToolResult result, long nanos) {
    double ms = nanos / 1e6;
    currentTools.add(new TurnTiming.ToolTiming(call.name(), ms, result.success()));
    toolCalls++;
    if (result.rejected()) {
      toolErrors++;
      count(Meter.TOOL_ERRORS, 1);
    }
    time(Meter.TOOL_DURATION, ms, "tool", call.name());
  }

  @Override
  public synchronized void compacted(int turn, boolean serverSide, int itemsBefore, int itemsAfter) {
    compactions++;
    count(Meter.COMPACTIONS, 1, "where", serverSide ? "server" : "endpoint");
  }

  @Override
  public synchronized void sessionFinished(boolean ok, Usage total) {
    closeTurn();
    success = ok;
    sessionEnd = nanoClock.getAsLong();
    time(Meter.SESSION_DURATION, (sessionEnd - sessionStart) / 1e6);
  }

  @Override
  public synchronized void connectStart(TransportKind kind, String url) {
    transport(label(kind));
  }

  @Override
  public synchronized void connectEnd(TransportKind kind, ConnectTimings timings) {
    handshakes++;
    count(Meter.HANDSHAKES, 1);
    double ms = timings.total().toNanos() / 1e6;
    connectMs += ms;
    time(Meter.CONNECT, ms);
  }

  @Override
  public synchronized void requestSent(TransportKind kind, long bytes, int frames, boolean isIncremental) {
    transport(label(kind));
    long now = nanoClock.getAsLong();
    if (startupMs < 0) {
      startupMs = Math.max(0, System.currentTimeMillis() - start.epochMillis());
      time(Meter.STARTUP_TO_FIRST_REQUEST, startupMs);
    }
    turnSent = now;
    currentClient = lastTurnEnd < 0 ? -1 : (now - lastTurnEnd) / 1e6;
    currentMode = isIncremental ? "incremental" : "full";
    currentBytes += bytes;
    bytesSent += bytes;
    framesSent += frames;
    if (isIncremental) {
      incremental++;
    } else {
      full++;
    }
    count(Meter.REQUESTS, 1, "mode", currentMode);
    count(Meter.BYTES_SENT, bytes);
    count(Meter.FRAMES_SENT, frames);
  }

  @Override
  public synchronized void firstEvent(Duration sinceSent) {
    currentFirstEvent = sinceSent.toNanos() / 1e6;
    time(Meter.TURN_FIRST_EVENT, currentFirstEvent);
  }

  @Override
  public synchronized void firstOutputDelta(Duration sinceSent) {
    currentFirstDelta = sinceSent.toNanos() / 1e6;
    time(Meter.TURN_FIRST_DELTA, currentFirstDelta);
  }

  @Override
  public synchronized void responseCompleted(ResponseInfo response, Duration sinceSent) {
    currentLatency = sinceSent.toNanos() / 1e6;
    time(Meter.TURN_DURATION, currentLatency);
  }

  @Override
  public synchronized void bytesReceived(long bytes) {
    bytesReceived += bytes;
    count(Meter.BYTES_RECEIVED, bytes);
  }

  @Override
  public synchronized void framesReceived(int frames) {
    framesReceived += frames;
    count(Meter.FRAMES_RECEIVED, frames);
  }

  @Override
  public synchronized void retry(int attempt, String reason, Duration backoff) {
    retries++;
    count(Meter.RETRIES, 1, "reason", reason);
  }

  @Override
  public synchronized void fallback(String reason) {
    fallbacks++;
    transport("http");
    count(Meter.FALLBACKS, 1, "reason", reason);
  }

  @Override
  public synchronized void reconnect(String reason) {
    reconnects++;
    count(Meter.RECONNECTS, 1, "reason", reason);
  }

  @Override
  public synchronized void rotation(Duration age) {
    rotations++;
    count(Meter.ROTATIONS, 1);
  }

  private void closeTurn() {
    if (currentTurn > 0) {
      turns.add(new TurnTiming(currentTurn, currentMode, currentLatency, currentFirstEvent, currentFirstDelta,
          currentClient, currentBytes, currentTools));
    }
    currentTurn = 0;
    currentTools.clear();
    currentLatency = -1;
    currentFirstEvent = -1;
    currentFirstDelta = -1;
    currentClient = -1;
    currentBytes = 0;
  }

  private static String label(TransportKind kind) {
    return kind == TransportKind.WEBSOCKET ? "websocket" : "http";
  }

  /** True once the loop started a session: before that there is nothing to report. */
  public synchronized boolean started() {
    return sessionStarted;
  }

  /** The registry with every meter of this run, for the Prometheus writer. */
  public MeterRegistry registry() {
    return registry;
  }

  public synchronized RunReport report() {
    double wall = !sessionStarted
        ? 0
        : sessionEnd > 0 ? (sessionEnd - sessionStart) / 1e6 : (nanoClock.getAsLong() - sessionStart) / 1e6;
    return new RunReport(provider, transport, model, success, wall, startupMs, start.origin(), turns,
        new RunReport.Counters(handshakes, reconnects, fallbacks, retries, rotations, bytesSent, bytesReceived,
            framesSent, framesReceived, full, incremental, toolCalls, toolErrors, connectMs, compactions),
        tokens);
  }
}
