package dev.runner.cli;

import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.runner.logging.Log;
import dev.runner.protocol.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.netty.util.internal.PlatformDependent;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Initializes, on a second thread, what an {@code exec} run needs right after its arguments are parsed: Jackson's
 * mappers (date formats, time zones), Micrometer (which starts SLF4J), Netty's platform probes and its native epoll
 * library, Reactor Netty's client and SHA-1 for the WebSocket handshake. Profiled with async-profiler, that is about
 * half of the main thread's start-up outside picocli; here it runs while picocli builds its command model, which uses
 * none of it. The command waits for this thread (bounded) before it runs, so no class is initialized by both threads
 * at the same time. Nothing here opens a file, socket or thread pool that the run would keep.
 */
final class StartupWarmup {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Log LOG = Log.of("cli");

  private final Thread thread;

  private StartupWarmup(Thread thread) {
    this.thread = thread;
  }

  /** Starts warming up when {@code args} run {@code exec}; otherwise returns a warm-up that is already done. */
  static StartupWarmup forArguments(String[] args) {
    if (args.length == 0 || !"exec".equals(args[0])) {
      return new StartupWarmup(null);
    }
    return new StartupWarmup(Thread.ofPlatform().daemon().name("runner-warmup").start(StartupWarmup::warm));
  }

  /** Waits until the warm-up has finished, at most a few seconds; a slow warm-up only costs its head start. */
  void await() {
    if (thread == null) {
      return;
    }
    try {
      if (!thread.join(WAIT)) {
        LOG.debug(() -> "start-up warm-up still running after " + WAIT.toSeconds() + " s; going on without it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void warm() {
    try {
      Json.MAPPER.getTypeFactory();
      new TomlMapper().getTypeFactory();
      BigDecimal.ONE.scale();
      new SimpleMeterRegistry().close();
      PlatformDependent.javaVersion();
      Epoll.isAvailable();
      HttpClient.create(ConnectionProvider.newConnection()).configuration();
      MessageDigest.getInstance("SHA-1");
    } catch (RuntimeException | LinkageError | NoSuchAlgorithmException e) {
      // whatever failed here fails again, with context, where the run really needs it
      LOG.debug(() -> "start-up warm-up stopped early: " + e);
    }
  }
}
