package dev.runner.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bash side of the command host: the program text ({@code command-host.sh}, next to this class)
 * and the job files it reads. A job file holds the working directory, a NUL and the script; an argv
 * command becomes the script {@code exec -- 'a' 'b' ...}.
 */
final class HostScript {
  private static final String RESOURCE = "command-host.sh";

  private HostScript() {}

  /** The host program, read from the class path. */
  private static String program() {
    try (InputStream in = HostScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Writes the host program into {@code dir}, the session's private folder, and returns the argv
   * that starts it with {@code bash}. Read from a file, it keeps the process list readable; it is
   * evaluated rather than sourced, since bash would name a sourced file in the jobs' error messages.
   */
  static List<String> install(Path bash, Path dir) throws IOException {
    Files.writeString(dir.resolve(RESOURCE), program(), StandardCharsets.UTF_8);
    return List.of(
        bash.toString(), "-c", "eval \"$(<\"$1/" + RESOURCE + "\")\"", "bash", dir.toString());
  }

  /** A script that replaces the job's shell with {@code argv}, quoted so bash sees it verbatim. */
  static String exec(List<String> argv) {
    StringBuilder script = new StringBuilder("exec --");
    for (String arg : argv) {
      script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
    }
    return script.toString();
  }

  /**
   * The bytes of a job file.
   *
   * @throws IllegalArgumentException when the script contains a NUL, which bash cannot hold (as
   *     {@code bash -c} could not take it as an argument either)
   */
  static byte[] jobFile(Path cwd, String script) {
    if (script.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid null character in command");
    }
    return (cwd + "\0" + script).getBytes(StandardCharsets.UTF_8);
  }
}
