package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.github.GitHubActions;
import dev.runner.batch.BatchOptions;
import dev.runner.batch.BatchRun;
import dev.runner.batch.BatchTask;
import dev.runner.batch.Connector;
import dev.runner.batch.Shard;
import dev.runner.batch.TaskDefaults;
import dev.runner.batch.TaskFile;
import dev.runner.batch.WorkspaceMode;
import dev.runner.config.ConfigInput;
import dev.runner.config.ConfigResolver;
import dev.runner.config.Transport;
import dev.runner.logging.Redactor;
import dev.runner.loop.LoopSettings;
import dev.runner.metrics.MetricsFiles;
import dev.runner.tools.SandboxMode;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportKind;
import dev.runner.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner batch}: many tasks in one process over shared connections, with crash-safe results. The CLI's part is
 * parsing, the defaults every task inherits (as {@code exec} takes them) and opening transports; the work is in
 * {@link BatchRun}.
 */
@Command(name = "batch", sortOptions = false, usageHelpAutoWidth = true, description = {
    "Runs every task of TASKS (a JSONL file, or '-' for stdin) through the model's tool loop, --concurrency at a",
    "time in one process, sharing one connection pool per provider. Each task works in its own workspace",
    "(--workspace) with its own command host, started at its first command; its changes are saved as ID.patch",
    "beside the results. Every line is checked before anything runs: a bad one is exit 2, nothing sent.",
    "",
    "Task lines: one JSON object per line (schemas/batch-task.schema.json); only \"id\" and the prompt are needed,",
    "the rest default to this command's options and configuration, as in 'runner exec':",
    "  {\"id\": \"pkg-17\", \"prompt\": \"...\" | \"prompt_file\": \"p.md\", \"output_schema\": \"s.json\" | {...},",
    "   \"cwd\": \"dir\", \"model\": \"m\", \"provider\": \"id\", \"transport\": \"auto|websocket|http\",",
    "   \"sandbox\": \"read-only|workspace-write|danger-full-access\", \"timeout\": \"10m\", \"max_turns\": 20,",
    "   \"config\": {\"key\": value}}",
    "  Ids: up to 128 letters, digits, '.', '_', '-'. Relative paths start at the current directory.",
    "",
    "Results: one JSON line per finished task in --results (schemas/batch-result.schema.json), appended and",
    "synced as the task ends: kill the batch at any moment and --resume runs only what has no result yet (a torn",
    "last line is dropped). Status ok, schema_invalid, failed, timeout or cancelled (never started).",
    "",
    "Progress goes to stderr: on a terminal one line redrawn in place; otherwise (CI logs) a line per tenth",
    "of the tasks or every 10 s; none with -q. A summary follows: counts, p50/p95/max of task wall, turn and",
    "first event, turns/s, connections, command hosts, bytes, tokens (--metrics FILE for machines).",
    "",
    "Examples:",
    "  runner batch --output-schema review.json --junit junit.xml tasks.jsonl",
    "  jq -c '{id: .name, prompt: (\"Review \" + .path)}' pkgs.json | runner batch -s read-only -",
    "  runner batch --resume --retry-failed 2 tasks.jsonl      # after a kill, or to rerun failed tasks",
    "  runner batch --shard 2/8 --results results-2.jsonl tasks.jsonl",
    "  runner merge results-*.jsonl -o results.jsonl --tasks tasks.jsonl --junit junit.xml",
    ""
}, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
    "0:every task ok",
    "1:a task failed or timed out (or --fail-fast cancelled tasks)",
    "2:bad input: a task line, a flag, a schema or prompt file (nothing was run)",
    "3:some answers failed their output schema, and nothing worse",
    "5:--deadline passed: the tasks left are cancelled (--resume runs them)"
}, footerHeading = "%n", footer = {
    "Shards are 0-based (I/N with 0 <= I < N), like Kubernetes' JOB_COMPLETION_INDEX; without --shard,",
    "JOB_COMPLETION_INDEX and JOB_COMPLETIONS choose it when set. A task is in shard I when the first 8 bytes",
    "of SHA-256(id) modulo N are I: adding a task moves no other task."
})
final class BatchCommand implements Callable<Integer>, OptionsInCode {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TASKS", description = "Task file (JSONL), or '-' to read it from stdin.")
  String tasks;

  @Option(names = "--concurrency", paramLabel = "N", description = "Tasks running at once (default: "
      + BatchOptions.DEFAULT_CONCURRENCY + ": the lanes of one WebSocket; on 2 cores, tool-calling tasks at a"
      + " realistic model latency gained nothing beyond it). Raise it for slow remote models, up to the provider's"
      + " rate limits.")
  int concurrency = BatchOptions.DEFAULT_CONCURRENCY;

  @Option(names = "--workspace", paramLabel = "shared|copy|worktree", description = "Where each task's tools work:"
      + " a git worktree at HEAD, a copy of its cwd, or cwd itself (read-only sandbox only). Default: worktree"
      + " inside a git repository, else copy.")
  String workspace;

  @Option(names = "--results", paramLabel = "FILE", description = "Results file, one JSON line per task (default:"
      + " runner-results.jsonl). Patches go beside it.")
  Path results = Path.of("runner-results.jsonl");

  @Option(names = "--resume", description = "Continue --results: run only the tasks with no ok, schema_invalid,"
      + " failed or timeout line there.")
  boolean resume;

  @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML (a testcase per task).")
  Path junit;

  @Option(names = "--fail-fast", description = "Start no task after the first one that is not ok; the rest are"
      + " cancelled.")
  boolean failFast;

  @Option(names = "--retry-failed", paramLabel = "N", description = "Run a task that failed or timed out up to N"
      + " more times (the transport's own retries come first); with --resume, also those the results file lists as"
      + " failed or timeout (default: 0).")
  int retryFailed;

  @Option(names = "--outage-threshold", paramLabel = "N", description = "Stop starting tasks once N in a row failed"
      + " the same way, as when the provider is down; the rest are cancelled (default: "
      + BatchOptions.DEFAULT_OUTAGE_THRESHOLD + "; 0: never).")
  int outageThreshold = BatchOptions.DEFAULT_OUTAGE_THRESHOLD;

  @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class, description = "Time"
      + " for the whole batch; tasks not done by then are cancelled and the exit code is 5.")
  Duration deadline;

  @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (0-based); see below.")
  String shard;

  // shared with exec (TaskOptions): the defaults of every task, bound in addOptions
  Path outputSchema;
  ExecCommand.SandboxMode sandbox;
  boolean fullAuto;
  Duration timeout;
  Integer maxTurns;
  Integer schemaRetries;
  Path metrics;
  ExecCommand.MetricsFormat metricsFormat;

  @Option(names = "--metrics-push", paramLabel = "URL", description = "Push the batch's outcome (tasks by status,"
      + " exit code) to this Prometheus Pushgateway; config key metrics_push_url. A failed push warns.")
  String metricsPush;

  @Option(names = "--no-github", description = "Under GitHub Actions, write no step outputs, summary or annotations.")
  boolean noGithub;

  final ConfigOptions configOptions = new ConfigOptions();
  final LoggingOptions logging = new LoggingOptions();

  BatchCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void addOptions(CommandLine.Model.CommandSpec spec) {
    TaskOptions.Scope batch = TaskOptions.Scope.BATCH;
    spec.addOption(TaskOptions.outputSchema(batch, () -> outputSchema, v -> outputSchema = v));
    spec.addOption(TaskOptions.sandbox(batch, () -> sandbox, v -> sandbox = v));
    spec.addOption(TaskOptions.fullAuto(() -> fullAuto, v -> fullAuto = v));
    spec.addOption(TaskOptions.timeout(batch, () -> timeout, v -> timeout = v));
    spec.addOption(TaskOptions.maxTurns(batch, () -> maxTurns, v -> maxTurns = v));
    spec.addOption(TaskOptions.schemaRetries(batch, () -> schemaRetries, v -> schemaRetries = v));
    spec.addOption(TaskOptions.metrics(batch, () -> metrics, v -> metrics = v));
    spec.addOption(TaskOptions.metricsFormat(batch, () -> metricsFormat, v -> metricsFormat = v));
    configOptions.addTo(spec);
    logging.addTo(spec);
    StandardOptions.addTo(spec);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    logging.install(environment, err);
    if (concurrency < 1 || concurrency > 1024) {
      throw RunnerException.usage("--concurrency " + concurrency + " is out of range",
          "use 1..1024 (default " + BatchOptions.DEFAULT_CONCURRENCY + ")");
    }
    if (retryFailed < 0 || outageThreshold < 0) {
      throw RunnerException.usage("--retry-failed and --outage-threshold must not be negative",
          "use 0 to turn either off");
    }
    OutputChecks.atLeast("--max-turns", maxTurns, 1);
    OutputChecks.atLeast("--schema-retries", schemaRetries, 0);
    OutputChecks.writable("--results", resolve(results));
    OutputChecks.writable("--junit", junit == null ? null : resolve(junit));
    OutputChecks.writable("--metrics", metrics == null ? null : resolve(metrics));
    WorkspaceMode mode = workspaceMode();
    Shard chosen = Shard.choose(shard, environment.variables());
    ConfigInput input = configOptions.toInput(environment);
    SandboxMode defaultSandbox = sandbox != null
        ? SandboxMode.fromLabel(sandbox.label).orElseThrow()
        : fullAuto ? SandboxMode.WORKSPACE_WRITE : null; // null: each task's sandbox_mode, else read-only
    TaskDefaults defaults = new TaskDefaults(input, ConfigResolver::resolve,
        outputSchema == null ? null : resolve(outputSchema), defaultSandbox,
        timeout != null ? timeout : LoopSettings.DEFAULT_TIMEOUT,
        maxTurns != null ? maxTurns : LoopSettings.DEFAULT_MAX_TURNS,
        schemaRetries != null ? schemaRetries : LoopSettings.DEFAULT_SCHEMA_RETRIES,
        environment.workingDirectory(), text -> {
          Duration d = DurationConverter.parse(text);
          return d == null || d.isZero() || d.isNegative() ? null : d;
        });
    String source = "-".equals(tasks) ? "<stdin>" : tasks;
    List<BatchTask> all = TaskFile.parse(readTasks(), source, defaults);
    // as exec does: log lines hide every value the tasks' secret rules name (a provider's env_key may have any name),
    // the resolved keys, and secret-named values set for tools
    List<String> hidden = all.stream().map(BatchTask::config).distinct()
        .flatMap(config -> config.secretValues(environment.variables()).stream()).toList();
    logging.install(environment, err, new Redactor(hidden));
    BatchOptions options = new BatchOptions(concurrency, mode, failFast, deadline, resolve(results), resume,
        junit == null ? null : resolve(junit), chosen, logging.quiet, environment.variables(), retryFailed,
        outageThreshold, metrics == null ? null : resolve(metrics), metricsFormat(), !logging.quiet
            && StderrTerminal.is(environment.variables()),
        configOptions.strictConfig);
    BatchCiReport ci = new BatchCiReport(GitHubActions.detect(environment.variables(), noGithub, err),
        BatchCiReport.checkedUrl(metricsPush != null || all.isEmpty()
            ? metricsPush
            : all.get(0).config().metricsPushUrl().orElse(null)),
        environment.variables(), shard, err);
    int code = new BatchRun(options, connector(environment.variables()), err, Clock.systemUTC()).run(all).code();
    ci.finish(code, options.results(), options.junit(), options.metrics());
    return code;
  }

  /** Opens transports as exec does: the embedded emulator where configured, websocket forced when asked for. */
  static Connector connector(Map<String, String> env) {
    return (config, listener) -> {
      ProviderWiring wiring = new ProviderWiring(config, env);
      try {
        boolean forced = config.transport().explicit() && config.transport().transport() == Transport.WEBSOCKET;
        TransportKind kind = config.transport().transport() == Transport.WEBSOCKET
            ? TransportKind.WEBSOCKET
            : TransportKind.HTTP;
        ModelTransport transport = Transports.create(wiring.settings(), kind, forced, listener);
        return new Connector.Connection(transport, wiring);
      } catch (RuntimeException e) {
        wiring.close();
        throw e;
      }
    };
  }

  /** --metrics-format, else by the file's extension: Prometheus' textfile collector reads *.prom. */
  private MetricsFiles.Format metricsFormat() {
    if (metricsFormat != null) {
      return metricsFormat == ExecCommand.MetricsFormat.prometheus
          ? MetricsFiles.Format.PROMETHEUS
          : MetricsFiles.Format.JSON;
    }
    String name = metrics == null ? "" : metrics.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".prom") || name.endsWith(".txt") ? MetricsFiles.Format.PROMETHEUS : MetricsFiles.Format.JSON;
  }

  private WorkspaceMode workspaceMode() {
    if (workspace == null) {
      return null;
    }
    for (WorkspaceMode m : WorkspaceMode.values()) {
      if (m.label().equalsIgnoreCase(workspace.trim())) {
        return m;
      }
    }
    throw RunnerException.usage("--workspace '" + workspace + "' is not shared, copy or worktree",
        "omit it for the default (worktree inside a git repository, else copy)");
  }

  private String readTasks() {
    try {
      if ("-".equals(tasks)) {
        return new String(environment.stdin().readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(resolve(Path.of(tasks)), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw RunnerException.usage("cannot read task file " + tasks + ": " + e.getMessage(),
          "pass a readable JSONL file, or '-' to read the tasks from stdin");
    }
  }

  private Path resolve(Path p) {
    return environment.workingDirectory().resolve(p).normalize();
  }
}
