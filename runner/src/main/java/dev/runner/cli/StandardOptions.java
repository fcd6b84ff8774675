package dev.runner.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h/--help} and {@code -V/--version} for a model built in code. Picocli's own
 * ({@code mixinStandardHelpOptions}) come from an annotated class, and reading annotations makes the JVM generate a
 * proxy class per annotation type: on the exec path that was a large part of building the command line.
 */
final class StandardOptions {
  private StandardOptions() {}

  static void addTo(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
  }
}
