package dev.runner.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * An annotated sub-command that also takes options defined in code (the shared {@link ConfigOptions} and
 * {@link LoggingOptions}); they are added once picocli has read its annotations (in a help that keeps declaration order, after its own).
 */
interface OptionsInCode {
  void addOptions(CommandSpec spec);
}
