package dev.runner.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The process's log sink, installed once at start-up by the CLI. Our own {@link Log}s, and Netty, Reactor and the
 * schema validator (through SLF4J, see {@link Slf4jProvider}), all write through it.
 *
 * <p>Why our own small backend instead of java.util.logging or logback: start-up is paid on every CI invocation, and
 * each of those costs tens to hundreds of milliseconds before its first line, where this sink costs next to nothing.
 * Logging is a process-wide concern for every library underneath, so the sink is the one piece of global state: a
 * volatile reference set once.
 */
public final class Logs {
  /** Areas with their own level in {@code RUNNER_LOG}; library loggers map onto netty, reactor and schema. */
  public static final List<String> AREAS = List.of("cli", "config", "transport", "loop", "tools", "schema", "report",
      "metrics", "emulator", "netty", "reactor");

  private static volatile LogSink sink = new LogSink(LogSettings.warnings(), new Redactor(List.of()),
      new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));

  private Logs() {}

  /** Applies {@code settings} for the rest of the process. */
  public static void install(LogSettings settings, Redactor redactor, PrintWriter err) {
    sink = new LogSink(librariesQuiet(settings), redactor, err);
  }

  /**
   * {@code text} redacted as the installed sink redacts log lines: once a command has installed a redactor that knows
   * its configuration (a provider key under any variable name), error messages get the same treatment.
   */
  public static String redact(String text) {
    return sink.redact(text);
  }

  static LogSink sink() {
    return sink;
  }

  /**
   * Libraries stay quiet unless named explicitly or everything is at trace: their debug output drowns ours. At the
   * default level they show errors only: their warnings (a refused WebSocket upgrade makes Reactor Netty log two, with
   * a connection id and an exception class) say what the runner's own message about the same event says better; with
   * a more verbose default level they show warnings as well.
   */
  private static LogSettings librariesQuiet(LogSettings settings) {
    java.util.Map<String, Level> areas = new java.util.HashMap<>(settings.areas());
    for (String library : List.of("netty", "reactor")) {
      if (!areas.containsKey(library) && settings.defaultLevel() != Level.TRACE) {
        areas.put(library, settings.defaultLevel().compareTo(Level.WARN) > 0 ? Level.WARN : Level.ERROR);
      }
    }
    return new LogSettings(settings.defaultLevel(), areas);
  }

  /** The area a library logger name belongs to: {@code io.netty.*} is netty, {@code reactor.*} reactor, ... */
  static String areaOf(String loggerName) {
    if (loggerName.startsWith("io.netty")) {
      return "netty";
    }
    if (loggerName.startsWith("reactor")) {
      return "reactor";
    }
    if (loggerName.startsWith("com.networknt")) {
      return "schema";
    }
    return loggerName;
  }
}
