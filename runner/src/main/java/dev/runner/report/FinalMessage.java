package dev.runner.report;

import dev.runner.RunnerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The final message's way out: stdout (the only thing a normal run prints there, so {@code runner exec ... | jq}
 * works) and {@code -o FILE}, written atomically so a reader never sees half a message.
 */
public final class FinalMessage {
  private FinalMessage() {}

  public static void print(PrintWriter stdout, String message) {
    stdout.print(message);
    if (!message.endsWith("\n")) {
      stdout.println();
    }
    stdout.flush();
  }

  /** Writes {@code message} to {@code file} through a temporary file in the same folder and an atomic move. */
  public static void writeFile(Path file, String message) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, message, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw RunnerException.usage("could not write --output-last-message " + file + ": " + e.getMessage(),
          "check that the folder exists and is writable");
    }
  }
}
