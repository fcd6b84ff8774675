package dev.runner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options that shape one task, defined once for {@code exec} (its one run) and {@code batch} (the defaults of
 * every task): names, types, converters and labels are the same in both, only the help text says which it is. Each
 * command keeps its own fields and binds them here, as with {@link ConfigOptions}: a mixin in the code-built style
 * {@link ExecCommand} uses to start without reading annotations.
 */
final class TaskOptions {
  /** Which command the option is for: the help text differs, nothing else. */
  enum Scope {
    EXEC,
    BATCH
  }

  private TaskOptions() {}

  static OptionSpec sandbox(Scope scope, Supplier<ExecCommand.SandboxMode> get,
      Consumer<ExecCommand.SandboxMode> set) {
    return OptionBinding.bind(OptionSpec.builder("-s", "--sandbox").paramLabel("MODE")
        .type(ExecCommand.SandboxMode.class)
        .converters(new ExecCommand.SandboxModeConverter())
        .description(scope == Scope.EXEC
            ? "Sandbox for tool commands: read-only (default), workspace-write, danger-full-access. The first two run commands in bubblewrap with no network."
            : "Default sandbox of the tasks' commands: read-only, workspace-write, danger-full-access (default: a"
                + " task's sandbox_mode from its configuration, else read-only)."),
        get, set).build();
  }

  static OptionSpec fullAuto(Supplier<Boolean> get, Consumer<Boolean> set) {
    return OptionBinding.bind(OptionSpec.builder("--full-auto").type(boolean.class)
        .description("Shortcut for --sandbox workspace-write."), get, set).build();
  }

  static OptionSpec outputSchema(Scope scope, Supplier<Path> get, Consumer<Path> set) {
    return OptionBinding.bind(OptionSpec.builder("--output-schema").paramLabel("FILE").type(Path.class)
        .description(scope == Scope.EXEC
            ? "JSON Schema the final message must satisfy; sent to the model as a strict json_schema."
            : "Default JSON Schema for tasks without output_schema."),
        get, set).build();
  }

  static OptionSpec timeout(Scope scope, Supplier<Duration> get, Consumer<Duration> set) {
    return OptionBinding.bind(OptionSpec.builder("--timeout").paramLabel("DURATION").type(Duration.class)
        .converters(new DurationConverter())
        .description(scope == Scope.EXEC
            ? "Deadline for the whole run, e.g. 90s, 10m, 1h30m (default: 30m). Exit 5 when hit."
            : "Default time for each task, e.g. 90s, 10m (default: 30m); a task past it is 'timeout'."),
        get, set).build();
  }

  static OptionSpec maxTurns(Scope scope, Supplier<Integer> get, Consumer<Integer> set) {
    return OptionBinding.bind(OptionSpec.builder("--max-turns").paramLabel("N").type(Integer.class)
        .description(scope == Scope.EXEC
            ? "Most model turns before giving up (default: 100). Exit 1 when hit."
            : "Default most model turns per task (default: 100); a task past it failed."),
        get, set).build();
  }

  static OptionSpec schemaRetries(Scope scope, Supplier<Integer> get, Consumer<Integer> set) {
    return OptionBinding.bind(OptionSpec.builder("--schema-retries").paramLabel("N").type(Integer.class)
        .description(scope == Scope.EXEC
            ? "Repair turns when the final message fails --output-schema (default: 1). Then exit 3."
            : "Repair turns for an answer that fails its schema (default: 1); then the task is schema_invalid."),
        get, set).build();
  }

  static OptionSpec metrics(Scope scope, Supplier<Path> get, Consumer<Path> set) {
    return OptionBinding.bind(OptionSpec.builder("--metrics").paramLabel("FILE").type(Path.class)
        .description(scope == Scope.EXEC
            ? "Write the timing report to FILE (see --metrics-format)."
            : "Write the batch's aggregate figures to FILE: JSON (schemas/batch-metrics.schema.json), or Prometheus"
                + " text when FILE ends in .prom or .txt or with --metrics-format prometheus."),
        get, set).build();
  }

  static OptionSpec metricsFormat(Scope scope, Supplier<ExecCommand.MetricsFormat> get,
      Consumer<ExecCommand.MetricsFormat> set) {
    return OptionBinding.bind(OptionSpec.builder("--metrics-format").paramLabel("json|prometheus")
        .type(ExecCommand.MetricsFormat.class)
        .description(scope == Scope.EXEC
            ? "Format of --metrics: json (schemas/metrics.schema.json) or prometheus text (default: json)."
            : "Format of --metrics: json or prometheus (default: by FILE's extension, else json)."),
        get, set).build();
  }
}
