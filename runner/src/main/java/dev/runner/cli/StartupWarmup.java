package dev.runner.cli;

import dev.runner.config.Toml;
import dev.runner.logging.Log;
import dev.runner.protocol.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Initializes, on two more threads, what an {@code exec} run needs right after its arguments are parsed: Jackson's
 * mappers (date formats, time zones), Micrometer (which starts SLF4J), Netty's platform probes and Reactor Netty's
 * client (SHA-1 for the WebSocket handshake is set up beside the connect, see WsConnection). Profiled with
 * async-profiler, that is about half of the main thread's start-up outside picocli; here it runs while picocli builds
 * its command model, which uses none of it. The command waits for these threads (bounded) before it runs, so no class
 * is initialized by both threads at the same time. Nothing here opens a file, socket or thread pool that the run would
 * keep.
 */
final class StartupWarmup {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Log LOG = Log.of("cli");

  private final List<Thread> threads;

  private StartupWarmup(List<Thread> threads) {
    this.threads = threads;
  }

  /** Starts warming up when {@code args} run {@code exec}; otherwise returns a warm-up that is already done. */
  static StartupWarmup forArguments(String[] args) {
    if (args.length == 0 || !"exec".equals(args[0])) {
      return new StartupWarmup(List.of());
    }
    // two threads beside picocli's: Jackson's part alone takes about as long as picocli
    return new StartupWarmup(List.of(
        Thread.ofPlatform().daemon().name("runner-warmup-json").start(StartupWarmup::warmJson),
        Thread.ofPlatform().daemon().name("runner-warmup-net").start(StartupWarmup::warmNetwork)));
  }

  /** Waits until the warm-up has finished, at most a few seconds; a slow warm-up only costs its head start. */
  void await() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try {
      for (Thread t : threads) {
        if (!t.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          LOG.debug(() -> "start-up warm-up still running after " + WAIT.toSeconds() + " s; going on without it");
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void warmJson() {
    try {
      // date formats and time zones (ObjectMapper), BigDecimal's tables (the first parser), the TOML reader
      Json.MAPPER.readTree("{\"warm\":[1,2.5,true,null]}");
      Toml.MAPPER.readTree("warm = 1");
    } catch (IOException | RuntimeException | LinkageError e) {
      stopped(e);
    }
  }

  private static void warmNetwork() {
    try {
      new SimpleMeterRegistry().close(); // also starts SLF4J
      PlatformDependent.javaVersion();
      java.nio.channels.spi.SelectorProvider.provider();
      HttpClient.create(ConnectionProvider.newConnection()).configuration();
    } catch (RuntimeException | LinkageError e) {
      stopped(e);
    }
  }

  private static void stopped(Throwable e) {
    // whatever failed here fails again, with context, where the run really needs it
    LOG.debug(() -> "start-up warm-up stopped early: " + e);
  }
}
