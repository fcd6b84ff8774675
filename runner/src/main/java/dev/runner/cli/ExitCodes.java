package dev.runner.cli;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import picocli.CommandLine;

/** Maps any exception that escapes a command to its exit code. */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  @Override
  public int getExitCode(Throwable t) {
    return of(t).code();
  }

  static ExitCode of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RunnerException re) {
        return re.exitCode();
      }
      if (c instanceof CommandLine.ParameterException) {
        return ExitCode.USAGE;
      }
      if (c instanceof InterruptedException) {
        return ExitCode.SIGINT;
      }
    }
    return ExitCode.TASK_FAILED;
  }
}
