package dev.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the process was started with: environment variables, stdin, the working directory and the
 * user's home. Read once in {@link #ofProcess()}; everything below the CLI receives values from
 * here and never reads the environment.
 *
 * @param variables environment variables
 * @param stdin standard input
 * @param stdinIsTerminal true when stdin is a terminal (then it is never read unless the prompt is
 *     {@code -})
 * @param workingDirectory the current directory
 * @param home the user's home directory
 * @param startNanos {@link System#nanoTime()} at process start, for start-up metrics
 * @param stdinIsFile true when stdin is {@code /dev/null} or a regular file: reading it to its end cannot block
 */
public record Environment(
    Map<String, String> variables,
    InputStream stdin,
    boolean stdinIsTerminal,
    Path workingDirectory,
    Path home,
    long startNanos,
    boolean stdinIsFile) {

  public Environment {
    variables = Map.copyOf(variables);
  }

  /** An environment whose stdin may block (a pipe), as tests and embedders usually give it. */
  public Environment(Map<String, String> variables, InputStream stdin, boolean stdinIsTerminal, Path workingDirectory,
      Path home, long startNanos) {
    this(variables, stdin, stdinIsTerminal, workingDirectory, home, startNanos, false);
  }

  public static Environment ofProcess() {
    long start = System.nanoTime();
    Path stdinTarget = stdinTarget();
    return new Environment(
        System.getenv(),
        System.in,
        isTerminal(stdinTarget),
        Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")),
        start,
        stdinTarget != null && (stdinTarget.toString().equals("/dev/null") || Files.isRegularFile(stdinTarget)));
  }

  public String get(String name) {
    return variables.get(name);
  }

  /** Linux: /proc tells where fd 0 points (a path, or {@code pipe:[...]}); null elsewhere. */
  private static Path stdinTarget() {
    Path fd0 = Path.of("/proc/self/fd/0");
    try {
      if (Files.exists(fd0, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return Files.readSymbolicLink(fd0);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no /proc: the portable guess below
    }
    return null;
  }

  /** From where fd 0 points; without /proc, "there is a console". */
  private static boolean isTerminal(Path stdinTarget) {
    if (stdinTarget == null) {
      return System.console() != null;
    }
    String target = stdinTarget.toString();
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
  }
}
