package dev.runner.cli;

import dev.runner.config.ConfigJson;
import dev.runner.config.ConfigReport;
import dev.runner.config.ConfigResolver;
import dev.runner.config.ProjectDocs;
import dev.runner.config.ConfigText;
import dev.runner.config.RunConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runner config}: prints the resolved configuration and where each value came from, as
 * aligned text or (with {@code --json}) one JSON object. Works without an API key: it shows only
 * whether the key's variable is set. Exit 2 on any config error.
 */
@Command(name = "config", description = "Prints the resolved configuration, the transport that will be used and why.")
final class ConfigCommand implements Callable<Integer>, OptionsInCode {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  final ConfigOptions configOptions = new ConfigOptions();

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Option(names = "--probe", description = "Start each MCP server, list its tools (as the model would see them) and "
      + "stop it; a server that fails shows why.")
  boolean probe;

  final LoggingOptions logging = new LoggingOptions();

  ConfigCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void addOptions(CommandLine.Model.CommandSpec spec) {
    configOptions.addTo(spec);
    logging.addTo(spec);
    StandardOptions.addTo(spec);
  }

  @Override
  public Integer call() {
    logging.install(environment, spec.commandLine().getErr());
    var input = configOptions.toInput(environment);
    RunConfig config = ConfigResolver.resolve(input);
    ProjectDocs docs = ProjectDocs.read(environment.workingDirectory(), input.codexConfigFile().getParent(),
        config.codex());
    ConfigReport report = ConfigReport.of(config, environment.variables(), docs);
    report = report.withRows(SandboxRows.of(config, environment.workingDirectory()));
    if (probe) {
      report = report.withRows(McpWiring.probe(config, environment.workingDirectory(), environment.variables()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ConfigJson.render(report, logging.isVerbose()));
    } else {
      out.print(ConfigText.render(report, logging.isVerbose()));
    }
    out.flush();
    return 0;
  }
}
