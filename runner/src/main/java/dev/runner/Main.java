package dev.runner;

import dev.runner.cli.RunnerCommand;

/** Process entry point: the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(RunnerCommand.execute(args));
  }
}
