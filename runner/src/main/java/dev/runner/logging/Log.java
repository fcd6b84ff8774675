package dev.runner.logging;

import java.util.function.Supplier;

/**
 * A logger for one area ({@code transport}, {@code loop}, ...). Messages are built lazily, so a disabled level costs
 * one level check. Lines go to the process's {@link LogSink} (see {@link Logs}).
 */
public final class Log {
  private final String area;

  private Log(String area) {
    this.area = area;
  }

  public static Log of(String area) {
    return new Log(area);
  }

  public boolean isDebug() {
    return Logs.sink().enabled(area, Level.DEBUG);
  }

  public void error(String message, Throwable t) {
    Logs.sink().write(Level.ERROR, area, message, t);
  }

  public void warn(String message) {
    Logs.sink().write(Level.WARN, area, message, null);
  }

  public void info(Supplier<String> message) {
    log(Level.INFO, message);
  }

  public void debug(Supplier<String> message) {
    log(Level.DEBUG, message);
  }

  public void trace(Supplier<String> message) {
    log(Level.TRACE, message);
  }

  private void log(Level level, Supplier<String> message) {
    LogSink sink = Logs.sink();
    if (sink.enabled(area, level)) {
      sink.write(level, area, message.get(), null);
    }
  }
}
