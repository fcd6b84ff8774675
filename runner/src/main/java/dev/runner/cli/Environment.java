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
 */
public record Environment(
    Map<String, String> variables,
    InputStream stdin,
    boolean stdinIsTerminal,
    Path workingDirectory,
    Path home,
    long startNanos) {

  public Environment {
    variables = Map.copyOf(variables);
  }

  public static Environment ofProcess() {
    long start = System.nanoTime();
    return new Environment(
        System.getenv(),
        System.in,
        detectTerminalStdin(),
        Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")),
        start);
  }

  public String get(String name) {
    return variables.get(name);
  }

  /** Linux: /proc tells where fd 0 points; elsewhere fall back to "there is a console". */
  private static boolean detectTerminalStdin() {
    Path fd0 = Path.of("/proc/self/fd/0");
    try {
      if (Files.exists(fd0, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        String target = Files.readSymbolicLink(fd0).toString();
        return target.startsWith("/dev/pts/")
            || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // fall through to the portable guess
    }
    return System.console() != null;
  }
}
