package dev.runner.logging;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A logger for one area ({@code transport}, {@code loop}, ...). Messages are built lazily, so a
 * disabled level costs a level check. Everything goes through java.util.logging, the backend Netty
 * and Reactor already fall back to, so one handler formats, filters and redacts every line on
 * stderr (see {@link Logs}).
 */
public final class Log {
  private final Logger logger;

  private Log(String area) {
    this.logger = Logger.getLogger("runner." + area);
  }

  public static Log of(String area) {
    return new Log(area);
  }

  public boolean isDebug() {
    return logger.isLoggable(java.util.logging.Level.FINE);
  }

  public void error(String message, Throwable t) {
    logger.log(java.util.logging.Level.SEVERE, message, t);
  }

  public void warn(String message) {
    logger.warning(message);
  }

  public void info(Supplier<String> message) {
    logger.info(message);
  }

  public void debug(Supplier<String> message) {
    logger.fine(message);
  }

  public void trace(Supplier<String> message) {
    logger.finest(message);
  }
}
