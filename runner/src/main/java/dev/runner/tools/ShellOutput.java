package dev.runner.tools;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The text a shell call returns to the model, in codex's layout. */
final class ShellOutput {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

  private ShellOutput() {}

  /**
   * {@code Exit code: N}, {@code Wall time: X seconds}, then {@code Total output lines: N} when the
   * output was cut, then {@code Output:} and the output.
   */
  static String format(
      int exitCode, Duration wallTime, boolean truncated, long totalLines, String output) {
    StringBuilder text = new StringBuilder();
    text.append("Exit code: ").append(exitCode).append('\n');
    // tenths by hand: String.format costs a millisecond in a process this young
    long tenths = Math.round(wallTime.toNanos() / 1e8);
    text.append("Wall time: ")
        .append(tenths / 10)
        .append('.')
        .append(tenths % 10)
        .append(" seconds\n");
    if (truncated) {
      text.append("Total output lines: ").append(totalLines).append('\n');
    }
    text.append("Output:\n").append(output);
    return text.toString();
  }

  /** An argv as one shell-quoted line, for progress output and reports. */
  static String join(List<String> argv) {
    return argv.stream()
        .map(a -> PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }
}
