package dev.runner.logging;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Installs the process's logging once, at start-up: one stderr handler that formats {@code LEVEL
 * area: message}, redacts secrets, and filters by area. Areas map to logger names {@code
 * runner.<area>}; {@code netty} to {@code io.netty} and {@code reactor} to {@code reactor}.
 *
 * <p>Why java.util.logging and not SLF4J + a backend: Netty and Reactor already log through it when
 * no SLF4J is present, and it adds no jars and no class loading on the start-up path (measured in
 * README "Start-up").
 */
public final class Logs {
  private static final List<String> AREAS = List.of(
      "cli", "config", "transport", "loop", "tools", "schema", "report", "metrics", "emulator");

  private Logs() {}

  /**
   * Applies {@code settings}; returns the configured loggers, which the caller keeps so JUL cannot
   * drop them.
   */
  public static List<Logger> install(LogSettings settings, Redactor redactor, PrintWriter err) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(jul(settings.defaultLevel()));
    root.addHandler(new StderrHandler(redactor, err));
    List<Logger> kept = new ArrayList<>();
    for (String area : AREAS) {
      kept.add(configure("runner." + area, settings.levelOf(area)));
    }
    kept.add(configure("io.netty", librariesLevel(settings, "netty")));
    kept.add(configure("reactor", librariesLevel(settings, "reactor")));
    for (Map.Entry<String, Level> e : settings.areas().entrySet()) {
      if (!AREAS.contains(e.getKey())
          && !e.getKey().equals("netty")
          && !e.getKey().equals("reactor")) {
        kept.add(configure(e.getKey(), e.getValue()));
      }
    }
    return List.copyOf(kept);
  }

  /** Libraries stay at warnings unless named explicitly: their debug output drowns ours. */
  private static Level librariesLevel(LogSettings settings, String area) {
    Level explicit = settings.areas().get(area);
    if (explicit != null) {
      return explicit;
    }
    return settings.defaultLevel().compareTo(Level.WARN) < 0 ? settings.defaultLevel() : Level.WARN;
  }

  private static Logger configure(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(jul(level));
    return logger;
  }

  static java.util.logging.Level jul(Level level) {
    return switch (level) {
      case OFF -> java.util.logging.Level.OFF;
      case ERROR -> java.util.logging.Level.SEVERE;
      case WARN -> java.util.logging.Level.WARNING;
      case INFO -> java.util.logging.Level.INFO;
      case DEBUG -> java.util.logging.Level.FINE;
      case TRACE -> java.util.logging.Level.FINEST;
    };
  }

  private static final class StderrHandler extends Handler {
    private final Redactor redactor;
    private final PrintWriter err;

    StderrHandler(Redactor redactor, PrintWriter err) {
      this.redactor = redactor;
      this.err = err;
      setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      StringBuilder line = new StringBuilder(128);
      line.append(levelName(record.getLevel()))
          .append(' ')
          .append(area(record.getLoggerName()))
          .append(": ");
      String message = record.getMessage();
      if (record.getParameters() != null && record.getParameters().length > 0) {
        message = java.text.MessageFormat.format(message, record.getParameters());
      }
      line.append(message);
      if (record.getThrown() != null) {
        line.append(" (").append(record.getThrown()).append(')');
      }
      String text = redactor.redact(line.toString());
      synchronized (err) {
        err.println(text);
        err.flush();
      }
    }

    private static String area(String loggerName) {
      if (loggerName == null) {
        return "-";
      }
      return loggerName.startsWith("runner.") ? loggerName.substring(7) : loggerName;
    }

    private static String levelName(java.util.logging.Level level) {
      int v = level.intValue();
      if (v >= 1000) {
        return "ERROR";
      } else if (v >= 900) {
        return "WARN";
      } else if (v >= 800) {
        return "INFO";
      } else if (v >= 500) {
        return "DEBUG";
      }
      return "TRACE";
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
