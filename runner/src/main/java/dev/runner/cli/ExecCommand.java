package dev.runner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner exec}: run a task through the tool loop and print the (schema-validated) final
 * message.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true, description = {
    "Runs PROMPT through the model's tool loop until it stops calling tools, then prints the final message on stdout (JSON validated against --output-schema when given). Progress and the timing summary go to stderr.",
    "",
    "Examples:",
    "  runner exec --output-schema review.json \"Review the last commit\"",
    "  git diff | runner exec \"Review this diff\" | jq .",
    "  runner exec --provider emulator -c emulator.scenario=tools:5 \"dry run\"",
    ""
})
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

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT|-", description = "The task. '-' or no PROMPT reads it from stdin. With PROMPT and piped stdin, stdin is appended in a <stdin> block (as codex does).")
  String prompt;

  @Mixin
  ConfigOptions configOptions = new ConfigOptions();

  @Option(names = {"-C",
      "--cd"}, paramLabel = "DIR", description = "Working directory for the agent and its tools (default: current directory).")
  Path workingDirectory;

  @Option(names = {"-s",
      "--sandbox"}, paramLabel = "MODE", converter = SandboxModeConverter.class, description = "Sandbox for tool commands: read-only (default), workspace-write, danger-full-access. The first two run commands in bubblewrap with no network.")
  SandboxMode sandbox;

  @Option(names = "--full-auto", description = "Shortcut for --sandbox workspace-write.")
  boolean fullAuto;

  @Option(names = "--skip-git-repo-check", description = "Run outside a git repository (otherwise -C must be inside one).")
  boolean skipGitRepoCheck;

  @Option(names = "--output-schema", paramLabel = "FILE", description = "JSON Schema the final message must satisfy; sent to the model as a strict json_schema.")
  Path outputSchema;

  @Option(names = "--json", description = "Print codex-compatible JSONL events on stdout instead of the message.")
  boolean json;

  @Option(names = {"-o",
      "--output-last-message"}, paramLabel = "FILE", description = "Also write the final message to FILE (atomically).")
  Path outputLastMessage;

  @Option(names = "--ephemeral", description = "Keep no session files on disk (runner never writes any; accepted for codex compatibility).")
  boolean ephemeral;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Deadline for the whole run, e.g. 90s, 10m, 1h30m (default: 30m). Exit 5 when hit.")
  Duration timeout;

  @Option(names = "--max-turns", paramLabel = "N", description = "Most model turns before giving up (default: 100). Exit 1 when hit.")
  Integer maxTurns;

  @Option(names = "--schema-retries", paramLabel = "N", description = "Repair turns when the final message fails --output-schema (default: 1). Then exit 3.")
  Integer schemaRetries;

  @Option(names = "--metrics", paramLabel = "FILE", description = "Write the timing report to FILE (see --metrics-format).")
  Path metrics;

  @Option(names = "--metrics-format", paramLabel = "json|prometheus", description = "Format of --metrics: json (schemas/metrics.schema.json) or prometheus text (default: json).")
  MetricsFormat metricsFormat = MetricsFormat.json;

  @Mixin
  LoggingOptions logging = new LoggingOptions();

  ExecCommand(Environment environment) {
    this.environment = environment;
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
