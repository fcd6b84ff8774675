package dev.runner.report;

import dev.runner.RunnerException;
import dev.runner.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

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
    try {
      AtomicFiles.write(file.toAbsolutePath(), message);
    } catch (IOException e) {
      throw RunnerException.usage("could not write --output-last-message " + file + ": " + e.getMessage(),
          "check that the folder exists and is writable");
    }
  }
}
