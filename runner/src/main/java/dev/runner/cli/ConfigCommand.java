package dev.runner.cli;

import dev.runner.RunnerException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runner config}: prints the resolved configuration and where each value came from. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Prints the resolved configuration, the transport that will be used and why.")
final class ConfigCommand implements Callable<Integer> {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Mixin
  LoggingOptions logging = new LoggingOptions();

  ConfigCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    logging.install(environment, spec.commandLine().getErr());
    throw RunnerException.usage("'runner config' is not available in this build yet", null);
  }
}
