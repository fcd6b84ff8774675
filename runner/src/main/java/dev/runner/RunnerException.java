package dev.runner;

import java.util.Objects;

/**
 * The one exception type that carries an exit code to the CLI. Its message is one line saying what
 * was wrong and where; the hint says what to do. Neither may contain a secret.
 */
public final class RunnerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;
  private final String hint;

  private RunnerException(ExitCode exitCode, String message, String hint, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  public static RunnerException usage(String message, String hint) {
    return new RunnerException(ExitCode.USAGE, message, hint, null);
  }

  public static RunnerException config(String message, String hint) {
    return new RunnerException(ExitCode.USAGE, message, hint, null);
  }

  public static RunnerException config(String message, String hint, Throwable cause) {
    return new RunnerException(ExitCode.USAGE, message, hint, cause);
  }

  public static RunnerException taskFailed(String message, Throwable cause) {
    return new RunnerException(ExitCode.TASK_FAILED, message, null, cause);
  }

  public static RunnerException schemaViolation(String message, String hint) {
    return new RunnerException(ExitCode.SCHEMA_VIOLATION, message, hint, null);
  }

  public static RunnerException transport(String message, String hint, Throwable cause) {
    return new RunnerException(ExitCode.TRANSPORT, message, hint, cause);
  }

  public static RunnerException timeout(String message, String hint) {
    return new RunnerException(ExitCode.TIMEOUT, message, hint, null);
  }

  public static RunnerException interrupted(ExitCode signal, String message) {
    return new RunnerException(signal, message, null, null);
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** What the user can do about it, or {@code null}. */
  public String hint() {
    return hint;
  }
}
