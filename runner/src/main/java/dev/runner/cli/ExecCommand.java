package dev.runner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code runner exec}: run a task through the tool loop and print the (schema-validated) final
 * message. Its command-line model is built in code ({@link #model}), not from annotations: this is the path every run
 * takes, and reading annotations costs a generated proxy class per annotation type at start-up.
 */
final class ExecCommand implements Callable<Integer> {
  /** Sandbox policies, named as codex names them. */
  enum SandboxMode {
    READ_ONLY("read-only"),
    WORKSPACE_WRITE("workspace-write"),
    DANGER_FULL_ACCESS("danger-full-access");

    final String label;

    SandboxMode(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** Formats for {@code --metrics}. */
  enum MetricsFormat {
    json,
    prometheus
  }

  private final Environment environment;

  CommandSpec spec;
  String prompt;
  final ConfigOptions configOptions = new ConfigOptions();
  Path workingDirectory;
  SandboxMode sandbox;
  boolean fullAuto;
  boolean skipGitRepoCheck;
  Path outputSchema;
  boolean json;
  Path outputLastMessage;
  boolean ephemeral;
  Duration timeout;
  Integer maxTurns;
  Integer schemaRetries;
  Path metrics;
  MetricsFormat metricsFormat = MetricsFormat.json;
  final LoggingOptions logging = new LoggingOptions();

  /** The process's signal handling when it was installed at start-up, else null (the run installs its own). */
  final SignalStop signals;

  ExecCommand(Environment environment) {
    this(environment, null);
  }

  ExecCommand(Environment environment, SignalStop signals) {
    this.environment = environment;
    this.signals = signals;
  }

  /** The command's model, bound to this object's fields; options appear in help in the order they are added. */
  CommandSpec model() {
    spec = CommandSpec.wrapWithoutInspection(this).name("exec").versionProvider(new VersionProvider());
    spec.usageMessage().sortOptions(false).autoWidth(true).description(
        "Runs PROMPT through the model's tool loop until it stops calling tools, then prints the final message on stdout (JSON validated against --output-schema when given). Progress and the timing summary go to stderr.",
        "",
        "Examples:",
        "  runner exec --output-schema review.json \"Review the last commit\"",
        "  git diff | runner exec \"Review this diff\" | jq .",
        "  runner exec --provider emulator -c emulator.scenario=tools:5 \"dry run\"",
        "");
    spec.addPositional(OptionBinding.bind(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("PROMPT|-")
        .type(String.class)
        .description(
            "The task. '-' or no PROMPT reads it from stdin. With PROMPT and piped stdin, stdin is appended in a <stdin> block (as codex does)."),
        () -> prompt, v -> prompt = v)
        .build());
    configOptions.addTo(spec);
    option(spec, Path.class, () -> workingDirectory, v -> workingDirectory = v, "DIR",
        "Working directory for the agent and its tools (default: current directory).", "-C", "--cd");
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-s", "--sandbox").paramLabel("MODE").type(SandboxMode.class)
        .converters(new SandboxModeConverter())
        .description(
            "Sandbox for tool commands: read-only (default), workspace-write, danger-full-access. The first two run commands in bubblewrap with no network."),
        () -> sandbox, v -> sandbox = v)
        .build());
    option(spec, boolean.class, () -> fullAuto, v -> fullAuto = v, null,
        "Shortcut for --sandbox workspace-write.", "--full-auto");
    option(spec, boolean.class, () -> skipGitRepoCheck, v -> skipGitRepoCheck = v, null,
        "Run outside a git repository (otherwise -C must be inside one).", "--skip-git-repo-check");
    option(spec, Path.class, () -> outputSchema, v -> outputSchema = v, "FILE",
        "JSON Schema the final message must satisfy; sent to the model as a strict json_schema.", "--output-schema");
    option(spec, boolean.class, () -> json, v -> json = v, null,
        "Print codex-compatible JSONL events on stdout instead of the message.", "--json");
    option(spec, Path.class, () -> outputLastMessage, v -> outputLastMessage = v, "FILE",
        "Also write the final message to FILE (atomically).", "-o", "--output-last-message");
    option(spec, boolean.class, () -> ephemeral, v -> ephemeral = v, null,
        "Keep no session files on disk (runner never writes any; accepted for codex compatibility).", "--ephemeral");
    spec.addOption(OptionBinding.bind(OptionSpec.builder("--timeout").paramLabel("DURATION").type(Duration.class)
        .converters(new DurationConverter())
        .description("Deadline for the whole run, e.g. 90s, 10m, 1h30m (default: 30m). Exit 5 when hit."),
        () -> timeout, v -> timeout = v).build());
    option(spec, Integer.class, () -> maxTurns, v -> maxTurns = v, "N",
        "Most model turns before giving up (default: 100). Exit 1 when hit.", "--max-turns");
    option(spec, Integer.class, () -> schemaRetries, v -> schemaRetries = v, "N",
        "Repair turns when the final message fails --output-schema (default: 1). Then exit 3.", "--schema-retries");
    option(spec, Path.class, () -> metrics, v -> metrics = v, "FILE",
        "Write the timing report to FILE (see --metrics-format).", "--metrics");
    option(spec, MetricsFormat.class, () -> metricsFormat, v -> metricsFormat = v, "json|prometheus",
        "Format of --metrics: json (schemas/metrics.schema.json) or prometheus text (default: json).",
        "--metrics-format");
    logging.addTo(spec);
    StandardOptions.addTo(spec);
    return spec;
  }

  private static <T> void option(CommandSpec spec, Class<T> type, Supplier<T> get, Consumer<T> set, String label,
      String description, String... names) {
    OptionSpec.Builder b = OptionBinding.bind(OptionSpec.builder(names).type(type).description(description), get, set);
    if (label != null) {
      b.paramLabel(label);
    }
    spec.addOption(b.build());
  }

  @Override
  public Integer call() {
    logging.install(environment, spec.commandLine().getErr());
    return new ExecRun(this, environment, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
  }

  /** Accepts codex's sandbox names (read-only, workspace-write, danger-full-access). */
  static final class SandboxModeConverter implements CommandLine.ITypeConverter<SandboxMode> {
    @Override
    public SandboxMode convert(String value) {
      for (SandboxMode m : SandboxMode.values()) {
        if (m.label.equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
          return m;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a sandbox mode; use read-only, workspace-write or danger-full-access");
    }
  }
}
