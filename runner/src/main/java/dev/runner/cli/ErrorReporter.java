package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.logging.Logs;
import dev.runner.logging.Redactor;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Prints a failed command's message and hint on stderr as one or two lines ({@code runner: ...}
 * then {@code hint: ...}), redacted, and returns its exit code. Unexpected exceptions also say
 * where to look.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  private final Redactor redactor;

  ErrorReporter(Environment environment) {
    this.redactor = Redactor.fromEnvironment(environment.variables());
  }

  /**
   * Redacted by the environment's standard rule and by the logging redactor, which a command replaces once its
   * configuration is known (an env_key may have any name, and a server's error may echo the key).
   */
  private String redact(String text) {
    return Logs.redact(redactor.redact(text));
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (ex instanceof RunnerException re) {
      err.println("runner: " + redact(re.getMessage()));
      if (re.hint() != null) {
        err.println("hint: " + redact(re.hint()));
      }
    } else {
      err.println("runner: unexpected error: " + redact(String.valueOf(ex)));
      err.println("hint: rerun with RUNNER_LOG=debug and report it with that output");
    }
    err.flush();
    return ExitCodes.of(ex).code();
  }
}
