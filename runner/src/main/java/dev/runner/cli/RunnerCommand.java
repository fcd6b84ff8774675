package dev.runner.cli;

import dev.runner.ExitCode;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command: {@code runner exec|config|emulator|completion|help}. */
@Command(name = "runner", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Headless agent runner for CI: runs a task through an OpenAI Responses-API tool loop until the model stops calling tools, validates the final JSON against a schema, prints it, and reports timings.",
}, subcommands = {
    ExecCommand.class,
    ConfigCommand.class,
    EmulatorCommand.class,
    CompletionCommand.class,
    TrainCommand.class,
    CommandLine.HelpCommand.class
}, exitCodeListHeading = "%nExit codes:%n", footerHeading = "%n", footer = {
    "Environment: RUNNER_LOG (e.g. transport=debug,loop=info), CODEX_HOME, RUNNER_HOME,",
    "OPENAI_API_KEY, RUNNER_JAVA_HOME, RUNNER_JAVA_OPTS. See README.md."
})
public final class RunnerCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: try 'runner exec \"task\"' or 'runner help'");
  }

  /**
   * Builds the command line with the real process environment and runs it; returns the exit code.
   */
  public static int execute(String[] args) {
    return commandLine(Environment.ofProcess()).execute(args);
  }

  /** The configured command line; tests pass their own environment and capture its writers. */
  public static CommandLine commandLine(Environment environment) {
    CommandLine cl = new CommandLine(new RunnerCommand(), new CommandFactory(environment));
    cl.setExitCodeExceptionMapper(new ExitCodes());
    cl.setExecutionExceptionHandler(new ErrorReporter(environment));
    cl.setParameterExceptionHandler(new UsageErrorReporter());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(110); // help text is written for 100 columns; CI logs and terminals are wider than 80
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec()
          .usageMessage()
          .exitCodeListHeading("%nExit codes:%n")
          .exitCodeList(exitCodes());
    }
    return cl;
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      map.put(String.format("%4d", c.code()), c.meaning());
    }
    return map;
  }
}
