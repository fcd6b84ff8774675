package dev.runner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether stderr is a terminal a progress line may be redrawn on. On Linux {@code /proc/self/fd/2} names the device
 * ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere the JDK's console is the guess. {@code TERM=dumb} (Emacs shells,
 * some CI runners that allocate a pty) cannot move the cursor back, so it counts as no terminal.
 */
final class StderrTerminal {
  private StderrTerminal() {}

  static boolean is(Map<String, String> env) {
    if ("dumb".equals(env.get("TERM"))) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    try {
      if (Files.exists(fd2, LinkOption.NOFOLLOW_LINKS)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no /proc: the console below
    }
    return System.console() != null;
  }
}
