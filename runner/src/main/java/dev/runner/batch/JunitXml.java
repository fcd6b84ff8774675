package dev.runner.batch;

import dev.runner.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Results as JUnit XML, the shape GitHub test reporters, GitLab's {@code artifacts:reports:junit} and Jenkins read: one
 * {@code <testsuite>} with a {@code <testcase>} per task; {@code schema_invalid} is a {@code <failure>} listing the
 * validation errors, {@code failed} and {@code timeout} an {@code <error>}, {@code cancelled} {@code <skipped/>}.
 * Text is escaped for XML 1.0, whose documents cannot hold most control characters even as references: those become
 * {@code \\uXXXX} in the text, as do unpaired surrogates.
 */
public final class JunitXml {
  private JunitXml() {}

  /** Writes the report for {@code results} to {@code file} atomically. */
  public static void write(Path file, String suiteName, List<TaskResult> results) throws IOException {
    AtomicFiles.write(file, render(suiteName, results));
  }

  static String render(String suiteName, List<TaskResult> results) {
    long failures = count(results, TaskStatus.SCHEMA_INVALID);
    long errors = count(results, TaskStatus.FAILED) + count(results, TaskStatus.TIMEOUT);
    long skipped = count(results, TaskStatus.CANCELLED);
    double time = results.stream().mapToDouble(r -> r.timing().wallMs()).sum() / 1000;
    StringBuilder x = new StringBuilder(256 + results.size() * 160);
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<testsuites name=\"").append(escape(suiteName)).append("\" tests=\"").append(results.size())
        .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors).append("\" skipped=\"")
        .append(skipped).append("\" time=\"").append(seconds(time)).append("\">\n");
    x.append("  <testsuite name=\"").append(escape(suiteName)).append("\" tests=\"").append(results.size())
        .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors).append("\" skipped=\"")
        .append(skipped).append("\" time=\"").append(seconds(time)).append("\">\n");
    for (TaskResult r : results) {
      x.append("    <testcase classname=\"").append(escape(suiteName)).append("\" name=\"").append(escape(r.id()))
          .append("\" time=\"").append(seconds(r.timing().wallMs() / 1000)).append('"');
      String detail = r.errors().stream().map(TaskResult.Problem::toString).collect(Collectors.joining("\n"));
      String first = r.errors().isEmpty() ? r.status().label() : r.errors().get(0).toString();
      x.append(switch (r.status()) {
        case OK -> "/>\n";
        case SCHEMA_INVALID -> element("failure", "output failed its schema: " + first, "schema_invalid", detail);
        case FAILED, TIMEOUT -> element("error", first, r.status().label(), detail);
        case CANCELLED -> ">\n      <skipped message=\"" + escape(first) + "\"/>\n    </testcase>\n";
      });
    }
    x.append("  </testsuite>\n</testsuites>\n");
    return x.toString();
  }

  private static String element(String name, String message, String type, String body) {
    return ">\n      <" + name + " message=\"" + escape(message) + "\" type=\"" + escape(type) + "\">" + escape(body)
        + "</" + name + ">\n    </testcase>\n";
  }

  private static long count(List<TaskResult> results, TaskStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** Escapes for attribute values and text alike; characters XML 1.0 cannot hold become {@code \\uXXXX}. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\n' -> b.append("&#10;");
        case '\r' -> b.append("&#13;");
        case '\t' -> b.append("&#9;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
