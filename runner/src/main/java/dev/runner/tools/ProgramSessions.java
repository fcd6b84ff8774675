package dev.runner.tools;

/**
 * What other packages may do with the processes they start the way the command host starts: cut their output as
 * shell output is cut, and kill a program started in a session of its own (through {@code setsid}) with everything
 * in that session, also after its first process died.
 */
public final class ProgramSessions {
  private ProgramSessions() {}

  /**
   * Kills every process of the session {@code session} (the pid of the process that called {@code setsid}) and the
   * descendants of that process while it lives; a session of the runner's own is refused.
   */
  public static void kill(long session) {
    if (session <= 0 || session == ProcessTree.sessionOf(ProcessHandle.current().pid())) {
      throw new IllegalArgumentException("session " + session + " is not a program's own session");
    }
    ProcessHandle root = ProcessHandle.of(session).orElse(null);
    if (root != null) {
      ProcessTree.kill(root, session);
    } else {
      ProcessTree.killSession(session);
    }
  }

  /** Whether any process of the session {@code session} still runs. */
  public static boolean alive(long session) {
    return ProcessTree.isRunning(session) || !ProcessTree.sessionMembers(session).isEmpty();
  }

  /** A program of the system's own ({@code setsid}, {@code sh}) from /usr/bin or /bin. */
  public static java.nio.file.Path systemProgram(String name) throws java.io.IOException {
    return ProgramLocator.locate(name, java.nio.file.Path.of("/"), java.util.Map.of("PATH", "/usr/bin:/bin"))
        .orElseThrow(() -> new java.io.IOException(name + " is missing from /usr/bin and /bin"));
  }

  /** {@code text} cut to {@code tokenLimit} tokens the way shell output is (head and tail kept). */
  public static String truncate(String text, int tokenLimit) {
    return Truncation.cut(text, tokenLimit).text();
  }
}
