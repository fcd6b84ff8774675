package dev.runner.cli;

import dev.runner.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Bad command-line input: the problem in one line and where to read more, exit 2; no wall of usage
 * text.
 */
final class UsageErrorReporter implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("runner: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("hint: see '" + cl.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return ExitCode.USAGE.code();
  }
}
