package dev.runner.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The bash side of the command host: the program text ({@code command-host.sh}, next to this class)
 * and the job files it reads. A job file holds the working directory, a NUL and the script; an argv
 * command becomes the script {@code exec -- 'a' 'b' ...}.
 */
final class HostScript {
  private static final String RESOURCE = "command-host.sh";
  /** Read once: a batch starts a host per task, and the jar lookup was a tenth of the start's Java time. */
  private static final byte[] PROGRAM = program().getBytes(StandardCharsets.UTF_8);

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
   * that starts it with {@code bash} in {@code scope} ({@code ns} or {@code session}, see the
   * script); commands see {@code bash} in {@code $BASH}. Read from a file, it keeps the process list readable; it is evaluated rather than
   * sourced, since bash would name a sourced file in the jobs' error messages.
   *
   * <p>bash runs from an execute-only copy in {@code dir} where it can: the kernel marks a process
   * that runs a program it may not read as not dumpable, and the {@code /proc/PID} files of such a
   * process (its {@code fd} above all, the host's pipes) are closed to other processes of the same
   * user that lack {@code CAP_SYS_PTRACE}, the commands among them. Root with its capabilities
   * reads the copy anyway and gains nothing, as it could trace the host. Where the copy cannot run
   * (a {@code noexec} temporary folder, or a bash that is not an ELF program) the original is used.
   */
  static List<String> install(Path bash, Path dir, String scope) throws IOException {
    Files.write(dir.resolve(RESOURCE), PROGRAM);
    return List.of(
        executeOnly(bash, dir).toString(),
        "-c",
        "eval \"$(<\"$1/" + RESOURCE + "\")\"",
        "bash",
        dir.toString(),
        scope,
        bash.toString());
  }

  /** An execute-only copy of {@code bash} in {@code dir}, or {@code bash} itself where it cannot serve. */
  static Path executeOnly(Path bash, Path dir) throws IOException {
    Path real = bash.toRealPath();
    byte[] magic = new byte[4];
    try (InputStream in = Files.newInputStream(real)) {
      if (in.readNBytes(magic, 0, 4) != 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L'
          || magic[3] != 'F') {
        return bash;
      }
    }
    Path copy = dir.resolve("bash");
    Files.copy(real, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("--x------"));
    // access(2) answers for noexec mounts too
    return Files.isExecutable(copy) ? copy : bash;
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
