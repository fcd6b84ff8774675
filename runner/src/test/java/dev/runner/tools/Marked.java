package dev.runner.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Processes found by a marker in their command line, seen from this JVM's {@code /proc}: pids that a command prints
 * are those of its PID namespace, so tests look for {@code sleep MARKER.N} instead.
 */
final class Marked {
  private Marked() {}

  /** A marker no other process has: the integer part of the durations {@code MARKER.1}, {@code MARKER.2}, … */
  static String unique() {
    return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
  }

  /** A bash command that waits until {@code count} processes with the marker run in its own PID namespace. */
  static String awaitStarted(String marker, int count) {
    // the pattern [.] keeps grep's own command line from matching
    return "until [ \"$(grep -s -l -e '" + marker + "[.]' /proc/[0-9]*/cmdline | wc -l)\" -ge " + count
        + " ]; do sleep 0.01; done";
  }

  /** The pids of live (not zombie) processes whose command line contains {@code MARKER.} as an argument. */
  static List<Long> alive(String marker) {
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path entry : proc) {
        try {
          String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
          long pid = Long.parseLong(entry.getFileName().toString());
          if (cmdline.contains("\0" + marker + ".") && ProcessTree.isRunning(pid)) {
            found.add(pid);
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc", e);
    }
    return found;
  }

  /** Kills what a failed test left behind. */
  static void killAll(String marker) {
    alive(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }
}
