package dev.runner.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Routes SLF4J (used by Netty, Reactor and the schema validator) into the runner's {@link LogSink}, so one filter,
 * format and redaction applies to every line and no logging framework is initialised at start-up. Registered in
 * META-INF/services.
 */
public final class Slf4jProvider implements SLF4JServiceProvider {
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private final ILoggerFactory factory = SinkLogger::new;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    // nothing to set up: the sink is installed by the CLI
  }

  /** One SLF4J logger, mapped onto a runner area by its name. */
  private static final class SinkLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private final String area;

    SinkLogger(String name) {
      this.name = name;
      this.area = Logs.areaOf(name);
    }

    private boolean on(dev.runner.logging.Level level) {
      return Logs.sink().enabled(area, level);
    }

    @Override
    public boolean isTraceEnabled() {
      return on(dev.runner.logging.Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return on(dev.runner.logging.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return on(dev.runner.logging.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return on(dev.runner.logging.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return on(dev.runner.logging.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable throwable) {
      dev.runner.logging.Level ours = switch (level) {
        case ERROR -> dev.runner.logging.Level.ERROR;
        case WARN -> dev.runner.logging.Level.WARN;
        case INFO -> dev.runner.logging.Level.INFO;
        case DEBUG -> dev.runner.logging.Level.DEBUG;
        case TRACE -> dev.runner.logging.Level.TRACE;
      };
      String message = MessageFormatter.basicArrayFormat(pattern, args);
      Logs.sink().write(ours, area, message, throwable);
    }
  }
}
