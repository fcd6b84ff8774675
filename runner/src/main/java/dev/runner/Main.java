package dev.runner;

import dev.runner.cli.RunnerCommand;

/** Process entry point: the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Picocli otherwise looks for Groovy's Closure class while it builds the command model: a failed lookup through
    // every jar on the class path, measured at about a tenth of start-up. We never use Groovy.
    System.setProperty("picocli.disable.closures", "true");
    // Netty's JFR events would initialize JFR's type system in every run for events nobody records.
    System.setProperty("io.netty.jfr.enabled", "false");
    System.exit(RunnerCommand.execute(args));
  }
}
