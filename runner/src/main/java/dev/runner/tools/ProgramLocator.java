package dev.runner.tools;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the executable a command names, as {@code execvp} would, so a missing program becomes a
 * clear exit-127 result before anything starts (inside bubblewrap it would otherwise surface as
 * bwrap's own error).
 */
final class ProgramLocator {
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private ProgramLocator() {}

  /**
   * The executable for {@code program}: a name with a slash is taken relative to {@code cwd},
   * others are searched in the {@code PATH} of {@code environment}.
   */
  static Optional<Path> locate(String program, Path cwd, Map<String, String> environment) {
    if (program.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (program.contains("/")) {
        return executable(cwd.resolve(program));
      }
      String path = environment.getOrDefault("PATH", DEFAULT_PATH);
      for (String dir : path.split(":")) {
        Optional<Path> found = executable(cwd.resolve(dir.isEmpty() ? "." : dir).resolve(program));
        if (found.isPresent()) {
          return found;
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<Path> executable(Path candidate) {
    return Files.isRegularFile(candidate) && Files.isExecutable(candidate)
        ? Optional.of(candidate)
        : Optional.empty();
  }
}
