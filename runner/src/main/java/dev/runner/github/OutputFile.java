package dev.runner.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Appends step outputs to {@code $GITHUB_OUTPUT} in the multi-line form {@code name<<DELIMITER}, value,
 * {@code DELIMITER}. Each value gets a delimiter of 128 random bits that does not occur in it, so no value (a model's
 * final message included) can end its own block early and inject {@code name=value} lines of its choosing.
 */
public final class OutputFile {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

  private final Path file;
  private final SecureRandom random;

  public OutputFile(Path file, SecureRandom random) {
    this.file = file;
    this.random = random;
  }

  /** Appends every value in one write, in the map's order; null values are left out. */
  public void write(Map<String, String> outputs) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("output name '" + e.getKey() + "' has characters GitHub does not allow");
      }
      String delimiter = delimiterFor(e.getValue());
      b.append(e.getKey()).append("<<").append(delimiter).append('\n').append(e.getValue()).append('\n')
          .append(delimiter).append('\n');
    }
    Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private String delimiterFor(String value) {
    byte[] bytes = new byte[16];
    String delimiter;
    do {
      random.nextBytes(bytes);
      delimiter = "ghadelimiter_" + HexFormat.of().formatHex(bytes);
    } while (value.contains(delimiter));
    return delimiter;
  }
}
