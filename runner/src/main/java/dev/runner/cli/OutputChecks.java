package dev.runner.cli;

import dev.runner.RunnerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What can be wrong with a run's flags that is known before its first request: numbers out of range and output files
 * that cannot be written. Found here they cost a usage error (exit 2) instead of a whole run's tokens.
 */
final class OutputChecks {
  private OutputChecks() {}

  /** {@code value} of {@code flag} is at least {@code min}, when given. */
  static void atLeast(String flag, Integer value, int min) {
    if (value != null && value < min) {
      throw RunnerException.usage(flag + " " + value + " is out of range: it must be at least " + min,
          "see --help for what " + flag + " means");
    }
  }

  /** {@code value} of {@code flag} is a positive duration, when given. */
  static void positive(String flag, Duration value) {
    if (value != null && (value.isZero() || value.isNegative())) {
      throw RunnerException.usage(flag + " " + value.toMillis() + " ms is out of range: it must be positive",
          "give a duration such as 90s, 10m or 1h30m");
    }
  }

  /**
   * {@code file} (given as {@code flag}) can be written: it is not a folder, and the nearest folder above it that
   * exists (the missing ones are created when the file is written) takes a new file, which a probe file created and
   * removed at once proves (permissions alone say yes to root, and in /proc). The file itself is not created here: a
   * run that fails writes no empty outputs.
   */
  static void writable(String flag, Path file) {
    if (file == null) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw RunnerException.usage(flag + " " + file + " is a directory; it must name a file",
          "pass a file path, e.g. " + flag + " " + file.resolve("out.json"));
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw RunnerException.usage(flag + " " + file + " cannot be written: no permission",
          "pass a path this user may write");
    }
    Path existing = file.toAbsolutePath().getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw RunnerException.usage(flag + " " + file + " cannot be written: " + existing + " is not a folder",
          "pass a path in a folder");
    }
    try {
      Files.delete(Files.createTempFile(existing, ".runner-check-", ".tmp"));
    } catch (java.io.IOException | SecurityException | UnsupportedOperationException e) {
      throw RunnerException.usage(flag + " " + file + " cannot be written: folder " + existing
          + " does not take new files",
          "pass a path in a folder this user may write");
    }
  }
}
