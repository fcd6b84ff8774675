package dev.runner.cli;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.github.GitHubActions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** Which {@code exec}: a new session, or one of codex's sub-commands. */
  enum Mode {
    NEW,
    RESUME,
    FORK,
    REVIEW
  }

  private final Environment environment;
  final Mode mode;

  CommandSpec spec;
  String prompt;
  /** resume and fork: [SESSION_ID] [PROMPT] as given (with --last, the one argument is the prompt). */
  List<String> sessionArguments = new ArrayList<>();
  boolean last;
  boolean all;
  boolean uncommitted;
  String base;
  String commit;
  String title;
  final CodexExecOptions codex = new CodexExecOptions();
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
  String metricsPush;
  boolean noGithub;
  final LoggingOptions logging = new LoggingOptions();

  /** The process's signal handling when it was installed at start-up, else null (the run installs its own). */
  final SignalStop signals;

  ExecCommand(Environment environment) {
    this(environment, Mode.NEW, (SignalStop) null);
  }

  ExecCommand(Environment environment, SignalStop signals) {
    this(environment, Mode.NEW, signals);
  }

  ExecCommand(Environment environment, Mode mode, SignalStop signals) {
    this.environment = environment;
    this.mode = mode;
    this.signals = signals;
  }

  /** The command's model, bound to this object's fields; options appear in help in the order they are added. */
  CommandSpec model() {
    spec = CommandSpec.wrapWithoutInspection(this).name(mode == Mode.NEW
        ? "exec"
        : mode.name().toLowerCase(
            java.util.Locale.ROOT))
        .versionProvider(new VersionProvider());
    spec.usageMessage().sortOptions(false).autoWidth(true);
    switch (mode) {
      case NEW -> {
        spec.usageMessage().description(
            "Runs PROMPT through the model's tool loop until it stops calling tools, then prints the final message on stdout (JSON validated against --output-schema when given). Progress and the timing summary go to stderr. The session is saved under $RUNNER_HOME/sessions unless --ephemeral.",
            "",
            "Examples:",
            "  runner exec --output-schema review.json \"Review the last commit\"",
            "  git diff | runner exec \"Review this diff\" | jq .",
            "  runner exec --provider emulator -c emulator.scenario=tools:5 \"dry run\"",
            "  runner exec resume --last \"Now fix what you found\"",
            "");
        promptParameter(spec, "0",
            "The task. '-' or no PROMPT reads it from stdin. With PROMPT and piped stdin, stdin is appended in a <stdin> block (as codex does).");
      }
      case RESUME -> {
        spec.usageMessage().description(
            "Continues a saved session (by id, or the newest with --last) with PROMPT as the next user message. When its last response was stored (store_responses = true) and the provider and model are the same, only the new input is sent, after previous_response_id; otherwise, or when the service no longer has that response, the whole conversation is.");
        sessionParameter(spec, "0..2", "[SESSION_ID] [PROMPT]",
            "The session's id (or a unique prefix) and the prompt to send; with --last only PROMPT. '-' or no PROMPT reads stdin.");
      }
      case FORK -> {
        spec.usageMessage().description(
            "Copies a saved session into a new one and continues the copy with PROMPT; the original stays as it was. Chains from the original's stored last response as resume does.");
        sessionParameter(spec, "1..2", "SESSION_ID [PROMPT]",
            "The session's id (or a unique prefix) and the prompt to send. '-' or no PROMPT reads stdin.");
      }
      case REVIEW -> {
        spec.usageMessage().description(
            "Reviews the current changes (--uncommitted, the default), the changes since --base BRANCH, or one --commit, with a built-in review prompt and output schema (schemas/review-findings.schema.json) unless --output-schema is given.");
        promptParameter(spec, "0", "Custom review instructions, added to the built-in prompt. '-' reads stdin.");
      }
      default -> throw new IllegalStateException("unhandled mode " + mode);
    }
    if (mode == Mode.RESUME) {
      option(spec, boolean.class, () -> last, v -> last = v, null,
          "Resume the newest saved session (of this working directory unless --all).", "--last");
      option(spec, boolean.class, () -> all, v -> all = v, null,
          "With --last: consider sessions of every working directory.", "--all");
    }
    if (mode == Mode.REVIEW) {
      option(spec, boolean.class, () -> uncommitted, v -> uncommitted = v, null,
          "Review staged, unstaged and untracked changes (the default).", "--uncommitted");
      option(spec, String.class, () -> base, v -> base = v, "BRANCH",
          "Review the changes against BRANCH (from their merge base).", "--base");
      option(spec, String.class, () -> commit, v -> commit = v, "SHA",
          "Review the changes a commit introduced.", "--commit");
      option(spec, String.class, () -> title, v -> title = v, "TITLE",
          "The commit's title for the review prompt (with --commit).", "--title");
    }
    configOptions.addTo(spec);
    option(spec, Path.class, () -> workingDirectory, v -> workingDirectory = v, "DIR",
        "Working directory for the agent and its tools (default: current directory).", "-C", "--cd");
    spec.addOption(TaskOptions.sandbox(TaskOptions.Scope.EXEC, () -> sandbox, v -> sandbox = v));
    spec.addOption(TaskOptions.fullAuto(() -> fullAuto, v -> fullAuto = v));
    option(spec, boolean.class, () -> skipGitRepoCheck, v -> skipGitRepoCheck = v, null,
        "Run outside a git repository (otherwise -C must be inside one).", "--skip-git-repo-check");
    spec.addOption(TaskOptions.outputSchema(TaskOptions.Scope.EXEC, () -> outputSchema, v -> outputSchema = v));
    option(spec, boolean.class, () -> json, v -> json = v, null,
        "Print codex-compatible JSONL events on stdout instead of the message.", "--json");
    option(spec, Path.class, () -> outputLastMessage, v -> outputLastMessage = v, "FILE",
        "Also write the final message to FILE (atomically).", "-o", "--output-last-message");
    option(spec, boolean.class, () -> ephemeral, v -> ephemeral = v, null,
        "Save no session file (otherwise the conversation is kept in $RUNNER_HOME/sessions for resume and fork).",
        "--ephemeral");
    spec.addOption(TaskOptions.timeout(TaskOptions.Scope.EXEC, () -> timeout, v -> timeout = v));
    spec.addOption(TaskOptions.maxTurns(TaskOptions.Scope.EXEC, () -> maxTurns, v -> maxTurns = v));
    spec.addOption(TaskOptions.schemaRetries(TaskOptions.Scope.EXEC, () -> schemaRetries, v -> schemaRetries = v));
    spec.addOption(TaskOptions.metrics(TaskOptions.Scope.EXEC, () -> metrics, v -> metrics = v));
    spec.addOption(TaskOptions.metricsFormat(TaskOptions.Scope.EXEC, () -> metricsFormat, v -> metricsFormat = v));
    codex.addTo(spec);
    option(spec, String.class, () -> metricsPush, v -> metricsPush = v, "URL",
        "Push the run's metrics to this Prometheus Pushgateway (http://host:9091), grouped by GITHUB_REPOSITORY,"
            + " GITHUB_WORKFLOW and GITHUB_RUN_ID when set; config key metrics_push_url. A failed push warns.",
        "--metrics-push");
    option(spec, boolean.class, () -> noGithub, v -> noGithub = v, null,
        "Under GitHub Actions (GITHUB_ACTIONS=true), write no step outputs, summary or annotations.", "--no-github");
    logging.addTo(spec);
    StandardOptions.addTo(spec);
    if (mode == Mode.NEW) {
      for (Mode sub : List.of(Mode.RESUME, Mode.FORK, Mode.REVIEW)) {
        ExecCommand child = new ExecCommand(environment, sub, signals);
        spec.addSubcommand(sub.name().toLowerCase(java.util.Locale.ROOT), new CommandLine(child.model()));
      }
    }
    return spec;
  }

  private void promptParameter(CommandSpec spec, String index, String description) {
    spec.addPositional(OptionBinding.bind(PositionalParamSpec.builder().index(index).arity("0..1")
        .paramLabel("PROMPT|-").type(String.class).description(description), () -> prompt, v -> prompt = v)
        .build());
  }

  private void sessionParameter(CommandSpec spec, String arity, String label, String description) {
    spec.addPositional(OptionBinding.bind(PositionalParamSpec.builder().index("0..*").arity(arity)
        .paramLabel(label).type(List.class).auxiliaryTypes(String.class).description(description),
        () -> sessionArguments, v -> sessionArguments = v).build());
  }

  private static <T> void option(CommandSpec spec, Class<T> type, Supplier<T> get, Consumer<T> set, String label,
      String description, String... names) {
    OptionSpec.Builder b = OptionBinding.bind(OptionSpec.builder(names).type(type).description(description), get, set);
    if (label != null) {
      b.paramLabel(label);
    }
    spec.addOption(b.build());
  }

  /** resume and fork: the SESSION_ID argument, or null (resume --last takes none). */
  String sessionIdArgument() {
    if (mode != Mode.RESUME && mode != Mode.FORK || mode == Mode.RESUME && last) {
      return null;
    }
    return sessionArguments.isEmpty() ? null : sessionArguments.get(0);
  }

  /** The PROMPT argument: after SESSION_ID for resume and fork, the only argument of resume --last. */
  String promptArgument() {
    if (mode != Mode.RESUME && mode != Mode.FORK) {
      return prompt;
    }
    if (mode == Mode.RESUME && last) {
      if (sessionArguments.size() > 1) {
        throw dev.runner.RunnerException.usage("resume --last takes one argument (the prompt), not "
            + sessionArguments.size(), "drop the session id, or drop --last");
      }
      return sessionArguments.isEmpty() ? null : sessionArguments.get(0);
    }
    return sessionArguments.size() > 1 ? sessionArguments.get(1) : null;
  }

  @Override
  public Integer call() {
    if (spec.parent() != null && spec.parent().userObject() instanceof ExecCommand) {
      ParentOptions.inherit(spec);
    }
    logging.install(environment, spec.commandLine().getErr());
    GitHubActions github = GitHubActions.detect(environment.variables(), noGithub, spec.commandLine().getErr());
    ExecRun run = new ExecRun(this, environment, spec.commandLine().getOut(), spec.commandLine().getErr(), github);
    int code = ExitCode.TASK_FAILED.code();
    String error = null;
    try {
      code = run.run();
      return code;
    } catch (RunnerException e) {
      code = e.exitCode().code();
      error = e.getMessage();
      throw e;
    } finally {
      github.execFinished(run.outcome(code, error));
    }
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
