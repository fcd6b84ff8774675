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
    err.println("runner: " + message(ex));
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("hint: see '" + cl.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return ExitCode.USAGE.code();
  }

  /**
   * Picocli calls every argument it could not place an "option": with a mistyped option the prompt lands there too.
   * Options and extra words are named apart, so the prompt is not called an option.
   */
  static String message(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return ex.getMessage();
    }
    java.util.List<String> options = new java.util.ArrayList<>();
    java.util.List<String> words = new java.util.ArrayList<>();
    for (String a : u.getUnmatched()) {
      (a.startsWith("-") && a.length() > 1 ? options : words).add("'" + a + "'");
    }
    StringBuilder m = new StringBuilder();
    if (!options.isEmpty()) {
      m.append(options.size() == 1 ? "unknown option " : "unknown options ").append(String.join(", ", options));
    }
    if (!words.isEmpty()) {
      m.append(m.length() == 0 ? "" : "; ").append(words.size() == 1 ? "unexpected argument " : "unexpected arguments ")
          .append(String.join(", ", words))
          .append(" (only one PROMPT is taken: quote a prompt of several words)");
    }
    return m.toString();
  }
}
