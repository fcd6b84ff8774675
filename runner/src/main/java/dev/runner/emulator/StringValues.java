package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.curiousoddman.rgxgen.RgxGen;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Strings for a schema's {@code format}, {@code pattern} and length bounds. A value the caller proposes (text a tool
 * printed) is kept when it fits; otherwise one is made: a sample of the format, or a string generated from the
 * pattern (rgxgen, seeded, so the emulator stays deterministic), trimmed or padded to the bounds.
 */
final class StringValues {
  private static final int PATTERN_TRIES = 64;

  private final Random random;

  StringValues(long seed) {
    this.random = new Random(seed);
  }

  /**
   * A string for {@code s} (a resolved schema of type string), preferring {@code proposal}.
   *
   * @throws SchemaInstance.Unsatisfiable when the bounds contradict each other or the pattern cannot be met
   */
  String make(JsonNode s, String proposal, String where) {
    int min = s.path("minLength").asInt(0);
    int max = s.has("maxLength") ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
    if (min > max) {
      throw new SchemaInstance.Unsatisfiable("minLength", where, "minLength " + min + " > maxLength " + max);
    }
    Pattern pattern = pattern(s, where);
    String format = s.path("format").asText("");
    String sample = formatSample(format);
    if (pattern == null) {
      if (sample != null) {
        if (sample.length() < min || sample.length() > max) {
          throw new SchemaInstance.Unsatisfiable("format", where, "no " + format + " value has a length in " + min
              + ".." + max);
        }
        return sample;
      }
      return fit(proposal, min, max);
    }
    if (proposal != null && fits(proposal, pattern, min, max)) {
      return proposal;
    }
    if (sample != null && fits(sample, pattern, min, max)) {
      return sample;
    }
    RgxGen generator;
    try {
      generator = RgxGen.parse(s.get("pattern").asText());
    } catch (RuntimeException e) {
      throw new SchemaInstance.Unsatisfiable("pattern", where, "no string can be generated for pattern '"
          + s.get("pattern").asText() + "': " + e.getMessage());
    }
    for (int i = 0; i < PATTERN_TRIES; i++) {
      String v = generator.generate(random);
      if (fits(v, pattern, min, max)) {
        return v;
      }
      String padded = fit(v, min, max); // an unanchored pattern still matches inside a longer or cut string
      if (fits(padded, pattern, min, max)) {
        return padded;
      }
    }
    throw new SchemaInstance.Unsatisfiable("pattern", where, "no string matching '" + s.get("pattern").asText()
        + "'" + (sample != null ? " and format " + format : "") + " with a length in " + min + ".."
        + (max == Integer.MAX_VALUE ? "" : max) + " was found");
  }

  private static Pattern pattern(JsonNode s, String where) {
    if (!s.hasNonNull("pattern")) {
      return null;
    }
    try {
      return Pattern.compile(s.get("pattern").asText());
    } catch (PatternSyntaxException e) {
      throw new SchemaInstance.Unsatisfiable("pattern", where, "pattern is not a valid regular expression: "
          + e.getDescription());
    }
  }

  private static boolean fits(String v, Pattern pattern, int min, int max) {
    int length = v.codePointCount(0, v.length());
    return length >= min && length <= max && pattern.matcher(v).find();
  }

  /** {@code value} cut to {@code max} or padded to {@code min} code points. */
  static String fit(String value, int min, int max) {
    String v = value == null ? "" : value;
    if (v.codePointCount(0, v.length()) > max) {
      v = v.substring(0, v.offsetByCodePoints(0, max));
    }
    StringBuilder sb = new StringBuilder(v);
    for (int n = v.codePointCount(0, v.length()); n < min; n++) {
      sb.append('x');
    }
    return sb.toString();
  }

  /** A valid value of the formats JSON Schema 2020-12 names, or null for none / an unknown format. */
  static String formatSample(String format) {
    return switch (format) {
      case "date-time" -> "2026-01-01T00:00:00Z";
      case "date" -> "2026-01-01";
      case "time" -> "12:00:00Z";
      case "duration" -> "PT1H";
      case "email", "idn-email" -> "emulator@example.com";
      case "hostname", "idn-hostname" -> "example.com";
      case "ipv4" -> "192.0.2.1";
      case "ipv6" -> "2001:db8::1";
      case "uri", "url", "iri" -> "https://example.com/";
      case "uri-reference", "iri-reference" -> "/emulated";
      case "uri-template" -> "https://example.com/{id}";
      case "uuid" -> "123e4567-e89b-42d3-a456-426614174000";
      case "json-pointer" -> "/emulated";
      case "relative-json-pointer" -> "0";
      case "regex" -> "^emulated$";
      default -> null;
    };
  }
}
