package dev.runner.github;

import java.io.PrintWriter;
import java.util.Map;

/**
 * GitHub Actions workflow commands ({@code ::error title=...::message}) on the runner's stderr: the Actions runner
 * reads commands from both streams, and stdout belongs to the final message. Data and property values are escaped as
 * the Actions runner unescapes them, so a message can neither end a command early nor start another one.
 */
public final class WorkflowCommands {
  private final PrintWriter err;

  public WorkflowCommands(PrintWriter err) {
    this.err = err;
  }

  /** An error annotation; {@code title} may be null. */
  public void error(String title, String message) {
    command("error", title == null ? Map.of() : Map.of("title", title), message);
  }

  /** A warning annotation; {@code title} may be null. */
  public void warning(String title, String message) {
    command("warning", title == null ? Map.of() : Map.of("title", title), message);
  }

  /** Starts a collapsible group in the log; everything until {@link #endGroup()} folds under {@code title}. */
  public void group(String title) {
    command("group", Map.of(), title);
  }

  public void endGroup() {
    command("endgroup", Map.of(), "");
  }

  private void command(String name, Map<String, String> properties, String message) {
    StringBuilder b = new StringBuilder("::").append(name);
    String separator = " ";
    for (Map.Entry<String, String> p : properties.entrySet()) {
      b.append(separator).append(p.getKey()).append('=').append(escapeProperty(p.getValue()));
      separator = ",";
    }
    b.append("::").append(escapeData(message));
    synchronized (err) {
      err.println(b);
      err.flush();
    }
  }

  /** The message part: {@code %}, CR and LF are percent-encoded (the Actions runner decodes exactly these). */
  public static String escapeData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A property value: as {@link #escapeData} plus {@code :} and {@code ,}, which end a property. */
  public static String escapeProperty(String s) {
    return escapeData(s).replace(":", "%3A").replace(",", "%2C");
  }
}
