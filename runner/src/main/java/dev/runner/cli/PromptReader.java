package dev.runner.cli;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns the PROMPT argument and stdin into the task text, as codex does: {@code -} or no argument
 * reads stdin; an argument plus piped stdin appends stdin in a {@code <stdin>} block. A terminal
 * stdin is never read for appending.
 */
final class PromptReader {
  private final Environment environment;

  PromptReader(Environment environment) {
    this.environment = environment;
  }

  String read(String argument) {
    String text;
    if (argument == null || argument.equals("-")) {
      if (environment.stdinIsTerminal() && argument == null) {
        throw RunnerException.usage(
            "no prompt given",
            "pass the task as an argument, pipe it on stdin, or use '-' to type it (end with Ctrl-D)");
      }
      text = readStdin();
    } else {
      text = argument;
      if (!environment.stdinIsTerminal()) {
        String piped = readStdin();
        if (!piped.isBlank()) {
          text = text + "\n\n<stdin>\n" + piped.stripTrailing() + "\n</stdin>";
        }
      }
    }
    if (text.isBlank()) {
      throw RunnerException.usage(
          "the prompt is empty",
          "give the task as an argument or on stdin, e.g. runner exec \"fix the tests\"");
    }
    return text;
  }

  private String readStdin() {
    try {
      return new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw RunnerException.usage("could not read the prompt from stdin: " + e.getMessage(), null);
    }
  }
}
