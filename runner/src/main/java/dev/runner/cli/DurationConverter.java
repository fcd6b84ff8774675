package dev.runner.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses {@code 250ms}, {@code 90s}, {@code 10m}, {@code 1h30m}, a bare number of seconds, or
 * ISO-8601 {@code PT5M}.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  // at most 12 digits a part: any more overflows a Duration's arithmetic, and no run is meant to take that long
  private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|h|m|s)");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a positive duration; use e.g. 250ms, 90s, 10m, 1h30m");
    }
    return d;
  }

  static Duration parse(String value) {
    String v = value.trim();
    if (v.matches("\\d{1,15}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    if (v.matches("\\d+")) {
      return null; // more seconds than a Duration holds: not a duration anyone means
    }
    if (v.startsWith("P") || v.startsWith("p")) {
      try {
        return Duration.parse(v);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          });
      end = m.end();
    }
    return end == v.length() && end > 0 ? total : null;
  }
}
