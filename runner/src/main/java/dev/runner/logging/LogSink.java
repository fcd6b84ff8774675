package dev.runner.logging;

import java.io.PrintWriter;

/**
 * Where log lines go: one line per message on stderr, {@code LEVEL area: message}, filtered by area and redacted.
 * Thread-safe; lines from several threads never interleave.
 */
public final class LogSink {
  private final LogSettings settings;
  private final Redactor redactor;
  private final PrintWriter err;

  public LogSink(LogSettings settings, Redactor redactor, PrintWriter err) {
    this.settings = settings;
    this.redactor = redactor;
    this.err = err;
  }

  /** {@code text} as a log line would show it. */
  public String redact(String text) {
    return redactor.redact(text);
  }

  /** True when {@code level} messages of {@code area} are written. */
  public boolean enabled(String area, Level level) {
    return level != Level.OFF && level.compareTo(settings.levelOf(area)) <= 0;
  }

  public void write(Level level, String area, String message, Throwable thrown) {
    if (!enabled(area, level)) {
      return;
    }
    StringBuilder line = new StringBuilder(96 + (message == null ? 0 : message.length()));
    // warnings and errors read like the runner's other stderr lines ("runner: warning: ..."), so a user meets one
    // prefix per kind; the opt-in levels keep the log-style prefix
    switch (level) {
      case WARN -> line.append("runner: warning: ");
      case ERROR -> line.append("runner: error: ");
      default -> line.append(level.name()).append(' ');
    }
    line.append(area).append(": ").append(message);
    if (thrown != null) {
      line.append(" (").append(thrown).append(')');
    }
    String text = redactor.redact(line.toString());
    synchronized (err) {
      err.println(text);
      err.flush();
    }
  }
}
