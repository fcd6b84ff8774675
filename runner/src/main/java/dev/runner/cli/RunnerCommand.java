package dev.runner.cli;

import dev.runner.ExitCode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The root command: {@code runner exec|batch|merge|config|emulator|completion|help}. Its model, like exec's, is built in code; the
 * other sub-commands keep their annotations (picocli reads them only when they are invoked or listed).
 */
public final class RunnerCommand implements Runnable {
  /** The sub-commands by name, in the order help lists them. */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  CommandLine.Model.CommandSpec spec;

  private RunnerCommand() {}

  private CommandLine.Model.CommandSpec model() {
    spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(this).name("runner")
        .versionProvider(new VersionProvider());
    spec.usageMessage().description(
        "Headless agent runner for CI: runs a task through an OpenAI Responses-API tool loop until the model stops calling tools, validates the final JSON against a schema, prints it, and reports timings.")
        .exitCodeListHeading("%nExit codes:%n").footerHeading("%n").footer(
            "Environment: RUNNER_LOG (e.g. transport=debug,loop=info), CODEX_HOME, RUNNER_HOME,",
            "OPENAI_API_KEY, RUNNER_JAVA_HOME, RUNNER_JAVA_OPTS. See README.md.");
    StandardOptions.addTo(spec);
    return spec;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: try 'runner exec \"task\"' or 'runner help'");
  }

  /**
   * Builds the command line with the real process environment and runs it; returns the exit code.
   */
  public static int execute(String[] args) {
    // exec stops on SIGINT/SIGTERM in order; its handlers go in first, so a signal during start-up is handled the same
    SignalStop signals = args.length > 0 && "exec".equals(args[0]) ? SignalStop.install() : null;
    try {
      return execute(args, Environment.ofProcess(), null, null, signals);
    } finally {
      if (signals != null) {
        signals.close();
      }
    }
  }

  /** As {@link #execute(String[])}, in {@code environment}, writing to {@code out}/{@code err} when not null. */
  static int execute(String[] args, Environment environment, PrintWriter out, PrintWriter err) {
    return execute(args, environment, out, err, null);
  }

  private static int execute(String[] args, Environment environment, PrintWriter out, PrintWriter err,
      SignalStop signals) {
    StartupWarmup warmup = StartupWarmup.forArguments(args);
    CommandLine cl = commandLine(environment, args.length == 0 ? "" : args[0], signals);
    if (out != null) {
      cl.setOut(out);
    }
    if (err != null) {
      cl.setErr(err);
    }
    CommandLine.IExecutionStrategy strategy = cl.getExecutionStrategy();
    cl.setExecutionStrategy(parsed -> {
      warmup.await(); // before the command touches what the warm-up initializes
      return strategy.execute(parsed);
    });
    return cl.execute(args);
  }

  /** The configured command line; tests pass their own environment and capture its writers. */
  public static CommandLine commandLine(Environment environment) {
    return commandLine(environment, "");
  }

  /**
   * The command line with only the sub-command named {@code first} when it names one (other than {@code help}), else
   * with all of them. Picocli builds the model of every sub-command it is given, by reflection, and that was the largest
   * single cost of start-up; a run needs only its own.
   */
  static CommandLine commandLine(Environment environment, String first) {
    return commandLine(environment, first, null);
  }

  private static CommandLine commandLine(Environment environment, String first, SignalStop signals) {
    CommandFactory factory = new CommandFactory(environment);
    CommandLine cl = new CommandLine(new RunnerCommand().model(), factory);
    boolean one = SUBCOMMANDS.containsKey(first) && !"help".equals(first) && !"completion".equals(first);
    for (Map.Entry<String, Class<?>> sub : SUBCOMMANDS.entrySet()) {
      if (!one || sub.getKey().equals(first)) {
        Object command = sub.getValue() == ExecCommand.class
            ? new ExecCommand(environment, signals).model()
            : sub.getValue();
        CommandLine subcommand = new CommandLine(command, factory);
        if (subcommand.getCommand() instanceof OptionsInCode withOptions) {
          withOptions.addOptions(subcommand.getCommandSpec());
        }
        cl.addSubcommand(sub.getKey(), subcommand);
      }
    }
    // registered once the subcommands are added: picocli hands a converter only to the commands it already has
    cl.registerConverter(java.nio.file.Path.class, new PathConverter());
    cl.setExitCodeExceptionMapper(new ExitCodes());
    cl.setExecutionExceptionHandler(new ErrorReporter(environment));
    cl.setParameterExceptionHandler(new UsageErrorReporter());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(110); // help text is written for 100 columns; CI logs and terminals are wider than 80
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    for (Map.Entry<String, CommandLine> entry : cl.getSubcommands().entrySet()) {
      CommandLine.Model.UsageMessageSpec usage = entry.getValue().getCommandSpec().usageMessage();
      String summary = SUMMARIES.get(entry.getKey());
      if (summary != null && usage.header().length == 0) {
        usage.header(summary); // the root's command list shows the header, else a description's first line, cut
      }
      if (!usage.exitCodeList().isEmpty()) {
        continue; // batch and merge list codes of their own
      }
      Map<String, String> codes = switch (entry.getKey()) {
        case "exec" -> exitCodes();
        case "emulator" -> codes(ExitCode.SUCCESS, "served until --exit-after, SIGINT or SIGTERM",
            ExitCode.USAGE, "bad option, scenario or fault spec, or the port is taken",
            ExitCode.TASK_FAILED, "unexpected error");
        case "config" -> codes(ExitCode.SUCCESS, "printed", ExitCode.USAGE, "invalid configuration");
        default -> Map.of();
      };
      if (!codes.isEmpty()) {
        usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
      }
    }
    return cl;
  }

  /** One-line summaries for the root's command list, where a description's first line would be cut. */
  private static final Map<String, String> SUMMARIES = Map.of(
      "batch", "Runs the tasks of a JSONL file, several at once, into a results file (plus JUnit XML, metrics).",
      "merge", "Joins the results files of sharded 'runner batch' runs into one.",
      "emulator", "Runs a local Responses-API emulator (HTTP+SSE and WebSocket) to dry-run pipelines offline.");

  private static Map<String, String> codes(Object... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      String code = Integer.toString(((ExitCode) pairs[i]).code());
      map.put(" ".repeat(Math.max(0, 4 - code.length())) + code, (String) pairs[i + 1]);
    }
    return map;
  }

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> map = new java.util.LinkedHashMap<>();
    map.put("exec", ExecCommand.class);
    map.put("batch", BatchCommand.class);
    map.put("merge", MergeCommand.class);
    map.put("config", ConfigCommand.class);
    map.put("emulator", EmulatorCommand.class);
    map.put("completion", CompletionCommand.class);
    map.put("train-aot", TrainCommand.class);
    map.put("help", CommandLine.HelpCommand.class);
    return java.util.Collections.unmodifiableMap(map);
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      String code = Integer.toString(c.code());
      map.put(" ".repeat(Math.max(0, 4 - code.length())) + code, c.meaning()); // String.format costs ~10 ms at start-up
    }
    return map;
  }
}
