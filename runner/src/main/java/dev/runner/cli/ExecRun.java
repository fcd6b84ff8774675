package dev.runner.cli;

import dev.runner.files.TempFolders;
import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.config.ConfigResolver;
import dev.runner.config.IgnoredKeys;
import dev.runner.config.ProjectDocs;
import dev.runner.config.CodexRequestFields;
import dev.runner.config.RunConfig;
import dev.runner.config.Transport;
import dev.runner.environment.SecretRule;
import dev.runner.environment.ToolEnvironment;
import dev.runner.logging.Redactor;
import dev.runner.github.ExecOutcome;
import dev.runner.github.GitHubActions;
import dev.runner.loop.AgentLoop;
import dev.runner.loop.AnswerCheck;
import dev.runner.loop.Instructions;
import dev.runner.loop.LoopListener;
import dev.runner.loop.LoopOutcome;
import dev.runner.loop.LoopSettings;
import dev.runner.metrics.MetricsFiles;
import dev.runner.protocol.Item;
import dev.runner.session.SessionStore;
import dev.runner.metrics.MetricsPush;
import dev.runner.metrics.OutcomeMeters;
import dev.runner.metrics.Registries;
import dev.runner.metrics.RunRecorder;
import dev.runner.metrics.RunReport;
import dev.runner.report.FinalMessage;
import dev.runner.report.JsonlEvents;
import dev.runner.report.Progress;
import dev.runner.report.Summary;
import dev.runner.report.WaitNotice;
import dev.runner.schema.OutputSchema;
import dev.runner.schema.ValidationResult;
import dev.runner.tools.CommandHost;
import dev.runner.tools.Sandbox;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.SandboxPolicy;
import dev.runner.batch.SandboxSetup;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolRegistry;
import dev.runner.tools.ToolResult;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import dev.runner.transport.Transports;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code runner exec}: resolves the configuration, checks the workspace, sandbox and schema, wires transport,
 * tools, loop and reports together, runs the task and writes the outputs. stdout gets only the final message (or the
 * JSONL events); everything else goes to stderr.
 */
final class ExecRun {
  /** Closing the command host is bounded by its own waits (a 2 s drain, then kills); this only guards a hang. */
  private static final Duration TOOLS_CLOSE_LIMIT = Duration.ofSeconds(10);

  private final ExecCommand options;
  private final Environment environment;
  private final PrintWriter out;
  private final PrintWriter err;

  private final GitHubActions github;
  /** What {@link #outcome} reports; set as the run gets there (one thread). */
  private RunReport report;
  private String finalMessage;
  private ExecOutcome.SchemaCheck schemaCheck = ExecOutcome.SchemaCheck.NONE;

  ExecRun(ExecCommand options, Environment environment, PrintWriter out, PrintWriter err) {
    this(options, environment, out, err, GitHubActions.detect(java.util.Map.of(), true, err));
  }

  ExecRun(ExecCommand options, Environment environment, PrintWriter out, PrintWriter err, GitHubActions github) {
    this.options = options;
    this.environment = environment;
    this.out = out;
    this.err = err;
    this.github = github;
  }

  /** How the run ended, for GitHub: call after {@link #run()} returned or threw. */
  ExecOutcome outcome(int exitCode, String error) {
    return new ExecOutcome(exitCode, error, finalMessage, schemaCheck, report,
        options.outputLastMessage == null ? null : resolve(options.outputLastMessage),
        options.metrics == null ? null : resolve(options.metrics));
  }

  int run() {
    try (SignalStop own = options.signals == null ? SignalStop.install() : null) {
      SignalStop stop = own != null ? own : options.signals;
      try {
        return run(stop);
      } catch (RuntimeException e) {
        // whatever a signal broke on its way out (a wait, a stream, a tool) reads as the signal
        throw stop.stopped() ? stop.exception() : e;
      }
    }
  }

  private int run(SignalStop stop) {
    OutputChecks.atLeast("--max-turns", options.maxTurns, 1);
    OutputChecks.atLeast("--schema-retries", options.schemaRetries, 0);
    OutputChecks.positive("--timeout", options.timeout);
    OutputChecks.writable("-o", options.outputLastMessage == null ? null : resolve(options.outputLastMessage));
    OutputChecks.writable("--metrics", options.metrics == null ? null : resolve(options.metrics));
    options.codex.refuseUnsupported();
    ExecCommand.Mode mode = options.mode;
    String sessionArgument = options.sessionIdArgument();
    String promptArgument = options.promptArgument();
    // review reads stdin only when asked to ('-'): its built-in prompt is the task
    String task = mode == ExecCommand.Mode.REVIEW && promptArgument == null
        ? null
        : new PromptReader(environment).read(promptArgument);
    var input = options.configOptions.toInput(environment);
    List<String> overrides = new ArrayList<>(options.codex.featureOverrides());
    overrides.addAll(input.overrides());
    if (options.codex.noProjectDoc) {
      overrides.add("project_doc_max_bytes=0");
    }
    RunConfig config = ConfigResolver.resolve(input.withOverrides(overrides), options.codex.ignoreUserConfig);
    if (!options.logging.quiet) {
      IgnoredKeys.notice(config.unknownKeys()).ifPresent(err::println);
    }
    stop.check();
    ToolEnvironment toolEnvironment = toolEnvironment(config);
    if (!config.provider().embedded()) {
      config.provider().resolveApiKey(environment.variables()); // a missing key fails here, before any work
    }
    Path runnerHome = input.runnerConfigFile().getParent();
    Path workspace = workspace();
    Path workingDirectory = workspace;
    SessionStore store = new SessionStore(runnerHome.resolve("sessions"));
    SessionStart session = SessionStart.of(mode, store, sessionArgument, options.last,
        options.all ? null : workspace.toAbsolutePath().normalize(), Instant.now());
    if (options.codex.worktree) {
      workspace = Worktree.create(workspace, runnerHome.resolve("worktrees").resolve(session.id()));
      if (!options.logging.quiet) {
        err.println("runner: working in a new git worktree at " + workspace);
      }
    }
    SandboxMode sandbox = sandboxMode(config);
    if (sandbox == SandboxMode.READ_ONLY && !options.codex.addDirs.isEmpty()) {
      // codex's words: exec goes on without them
      err.println("runner: warning: Ignoring --add-dir (" + String.join(", ",
          options.codex.addDirs.stream().map(Path::toString).toList()) + ") because the effective sandbox mode is"
          + " read-only. Switch to workspace-write or danger-full-access to allow additional writable roots.");
    }
    // an unusable root is the config's fault, whether bwrap is here or not: said first
    SandboxPolicy sandboxPolicy = SandboxSetup.policy(config, sandbox, workspace, options.codex.addDirs,
        workingDirectory);
    Sandbox.check(sandbox, workspace, environment.variables());
    Path reviewSchemaDir = null;
    Path schemaFile = options.outputSchema == null ? null : resolve(options.outputSchema);
    if (mode == ExecCommand.Mode.REVIEW) {
      task = ReviewTarget.of(options.uncommitted, options.base, options.commit, options.title, workspace)
          .prompt(task);
      if (schemaFile == null) {
        reviewSchemaDir = tempDirectory();
        schemaFile = ReviewTarget.writeDefaultSchema(reviewSchemaDir);
      }
    }
    OutputSchema schema = schemaFile == null ? null : OutputSchema.load(schemaFile);
    deleteQuietly(reviewSchemaDir);
    ProjectDocs docs = ProjectDocs.none();
    if (!options.codex.noProjectDoc) {
      docs = ProjectDocs.read(workspace, input.codexConfigFile().getParent(), config.codex());
    }
    if (progressShown() && !docs.files().isEmpty() && options.logging.isVerbose()) {
      err.println("runner: project docs: " + docs.files() + (docs.truncated()
          ? " (cut at project_doc_max_bytes)"
          : ""));
    }
    List<Item> firstInput = SessionStart.firstInput(docs.message(workspace).orElse(null),
        !session.history().isEmpty(), SessionStart.userMessage(task, resolveAll(options.codex.images)));
    if (schema != null && !options.logging.quiet) {
      schema.warnings().forEach(w -> err.println("runner: warning: " + w));
    }
    String pushUrl = options.metricsPush != null ? options.metricsPush : config.metricsPushUrl().orElse(null);
    if (pushUrl != null) {
      try {
        MetricsPush.parse(pushUrl);
      } catch (IllegalArgumentException e) {
        throw RunnerException.usage("--metrics-push: " + e.getMessage(),
            "give the Pushgateway's base URL, e.g. http://pushgateway:9091");
      }
    }
    Duration timeout = options.timeout != null ? options.timeout : LoopSettings.DEFAULT_TIMEOUT;
    Clock clock = Clock.systemUTC();

    RunRecorder recorder = new RunRecorder(config.provider().id(), config.transport().transport().label(),
        config.model(), LaunchTime.current(), System::nanoTime,
        Registries.forRun(pushUrl != null || options.metricsFormat == ExecCommand.MetricsFormat.prometheus));
    JsonlEvents jsonl = options.json ? new JsonlEvents(out) : null;
    Progress progress = options.json || options.logging.quiet ? null : new Progress(err, stop::stopped);
    LastMessage last = new LastMessage();
    List<LoopListener> loopListeners = new ArrayList<>(List.of(recorder, last));
    List<ToolListener> toolListeners = new ArrayList<>();
    if (jsonl != null) {
      loopListeners.add(jsonl);
      toolListeners.add(jsonl);
    }
    if (progress != null) {
      loopListeners.add(progress);
      toolListeners.add(progress);
      if (options.logging.isVerbose()) {
        toolListeners.add(github.toolOutputGroups());
      }
    }
    // also with --json: stdout has the events, stderr is still the human's
    WaitNotice waitNotice = options.logging.quiet ? null : new WaitNotice(err, System::nanoTime, stop::stopped);
    if (waitNotice != null) {
      loopListeners.add(waitNotice);
      toolListeners.add(waitNotice);
      waitNotice.start();
    }
    if (progress != null && options.logging.isVerbose()) {
      err.println("runner: provider " + config.provider().id() + ", model " + config.model() + ", "
          + config.transport().reason());
    }

    Instant deadline = clock.instant().plus(timeout);
    ToolContext tools = new ToolContext(workspace, sandbox, toolEnvironment, deadline, clock,
        (int) Math.min(Integer.MAX_VALUE, config.toolOutputTokenLimit()), new ToolListeners(toolListeners),
        new CommandHost(workspace, sandbox, toolEnvironment, sandboxPolicy));
    LoopSettings settings = new LoopSettings(config.model(), Instructions.standard(),
        CodexRequestFields.text(schema == null ? null : schema.textConfig(), config.codex()),
        options.maxTurns != null ? options.maxTurns : LoopSettings.DEFAULT_MAX_TURNS,
        timeout, true, options.schemaRetries != null ? options.schemaRetries : LoopSettings.DEFAULT_SCHEMA_RETRIES,
        Math.max(0, config.modelAutoCompactTokenLimit().orElse(0)), CodexRequestFields.reasoning(config.codex()),
        CodexRequestFields.include(config.codex()), config.storeResponses());
    StoredParent storedParent = mode == ExecCommand.Mode.RESUME || mode == ExecCommand.Mode.FORK
        ? StoredParent.of(session.lastResponse(), session.history().size(), config.provider().id(), config.model(),
            config.storeResponses(), config.provider().embedded())
        : new StoredParent(null, "a new session");
    if (progress != null && options.logging.isVerbose() && !session.history().isEmpty()) {
      err.println("runner: " + mode.name().toLowerCase(java.util.Locale.ROOT) + ": " + storedParent.reason());
    }
    if (!options.ephemeral) {
      loopListeners.add(new SessionSaver(store, session, new SessionStore.Meta(session.id(),
          workspace.toAbsolutePath().normalize(), config.model(), config.provider().id(),
          options.codex.threadSource != null ? options.codex.threadSource : "exec", session.forkedFrom(),
          VersionProvider.version()), Instant.now(), err));
    }
    AnswerCheck check = schema == null ? AnswerCheck.acceptAll() : answer -> {
      ValidationResult r = schema.validate(answer);
      return r.valid()
          ? Optional.empty()
          : Optional.of(new AnswerCheck.Rejection(schema.repairPrompt(r), r.summary()));
    };

    boolean forced = config.transport().explicit() && config.transport().transport() == Transport.WEBSOCKET;
    TransportKind kind = config.transport().transport() == Transport.WEBSOCKET
        ? TransportKind.WEBSOCKET
        : TransportKind.HTTP;
    McpWiring mcp = new McpWiring();
    stop.onStop(() -> stopChildren(tools, mcp));
    Thread interruptHook = new Thread(() -> stopChildren(tools, mcp), "runner-interrupt");
    Runtime.getRuntime().addShutdownHook(interruptHook);
    BackgroundClose toolsClosing = new BackgroundClose("runner-tools-close", () -> {
      try {
        mcp.close();
      } finally {
        tools.close();
      }
    });
    // Under a sandbox the host's start is the check that bubblewrap works here: it starts now, beside the
    // transport's set-up, and the first request waits for it. Without one it starts once the first request is out:
    // its start (bash and its first worker) then overlaps the model's first answer instead of competing with the
    // handshake and the first request for the cores.
    CompletableFuture<Void> sandboxedHost = sandbox.isolated() ? tools.commands().warmUp() : null;
    TransportListener transportListener = sandboxedHost != null
        ? recorder
        : TransportListener.all(List.of(recorder, new OnFirstRequest(tools.commands()::warmUp)));
    ExitCode exit = ExitCode.TASK_FAILED; // until the run says otherwise: an unexpected exception is a failure
    try (ProviderWiring wiring = new ProviderWiring(config, environment.variables());
        ModelTransport transport = Transports.create(wiring.settings(), kind, forced, transportListener)) {
      // MCP servers start with the first connection; the first request waits for their tool lists
      mcp.start(config, workspace, sandbox, sandboxPolicy, environment.variables(),
          options.configOptions.strictConfig);
      // the first connection opens while the first request is built
      transport.preconnect(deadline);
      if (sandboxedHost != null) {
        Sandbox.awaitHost(sandboxedHost, sandbox);
      }
      ToolRegistry registry = ToolRegistry.standard(mcp.tools(err, options.logging.quiet));
      AgentLoop loop = new AgentLoop(transport, registry, tools, settings, check,
          LoopListener.all(loopListeners), clock, stop);
      LoopOutcome outcome;
      try {
        outcome = loop.run(session.id(), session.history(), storedParent.parent(), firstInput);
      } catch (RuntimeException e) {
        throw stop.stopped() ? stop.exception() : e;
      } finally {
        if (stop.stopped()) {
          Thread.interrupted(); // the signal's interrupt must not cut the transport's close short
        }
      }
      if (!stop.commit()) {
        throw stop.exception();
      }
      // no tool runs after the loop: the command host stops while the answer and the reports are written
      toolsClosing.start();
      if (jsonl == null) {
        FinalMessage.print(out, outcome.finalMessage());
      }
      if (options.outputLastMessage != null) {
        FinalMessage.writeFile(resolve(options.outputLastMessage), outcome.finalMessage());
      }
      if (schema != null) {
        schemaCheck = new ExecOutcome.SchemaCheck(true, null, List.of());
      }
      exit = ExitCode.SUCCESS;
      return ExitCode.SUCCESS.code();
    } catch (RuntimeException caught) {
      RuntimeException e = stop.stopped() ? stop.exception() : caught;
      if (stop.stopped()) {
        Thread.interrupted();
      }
      ExitCode failure = e instanceof RunnerException r ? r.exitCode() : ExitCode.TASK_FAILED;
      exit = failure;
      if (jsonl != null) {
        jsonl.finishFailed(e.getMessage());
      }
      if (failure == ExitCode.SCHEMA_VIOLATION && schema != null && last.text != null) {
        schemaCheck = schemaCheck(schema.validate(last.text));
      }
      if (failure == ExitCode.SCHEMA_VIOLATION && options.outputLastMessage != null && last.text != null) {
        FinalMessage.writeFile(resolve(options.outputLastMessage), last.text);
      }
      throw e;
    } finally {
      toolsClosing.start();
      finalMessage = last.text;
      report = recorder.started() ? recorder.report() : null;
      OutcomeMeters.exec(recorder.registry(), Tags.of("provider", config.provider().id()), exit.code(),
          schemaCheck.checked() ? schemaCheck.valid() : null);
      try {
        if (options.metrics != null) {
          MetricsFiles.write(resolve(options.metrics), options.metricsFormat == ExecCommand.MetricsFormat.prometheus
              ? MetricsFiles.Format.PROMETHEUS
              : MetricsFiles.Format.JSON, recorder.report(), recorder.registry());
        }
        // a stopped run says so in one line; its partial timings are in --metrics
        if (!options.logging.quiet && recorder.started() && !stop.stopped()) {
          Summary.print(err, recorder.report());
        }
        if (pushUrl != null) {
          push(pushUrl, recorder);
        }
      } finally {
        // also when a report cannot be written: the exit that follows must not cut the host's close short
        if (!toolsClosing.await(TOOLS_CLOSE_LIMIT)) {
          err.println("runner: warning: the shell's command host did not stop within "
              + TOOLS_CLOSE_LIMIT.toSeconds() + " s; processes it started may outlive this run");
        }
        removeHook(interruptHook);
        if (waitNotice != null) {
          waitNotice.close();
        }
      }
    }
  }

  /** A failed push warns and leaves the exit code alone: the run's outcome does not depend on a metrics store. */
  private void push(String url, RunRecorder recorder) {
    try {
      MetricsPush.push(url, (PrometheusMeterRegistry) recorder.registry(), "runner",
          MetricsPush.groupingFrom(environment.variables()));
    } catch (IOException | RuntimeException e) {
      err.println("runner: warning: could not push metrics to " + url + ": " + e.getMessage()
          + "; the exit code is unchanged");
    }
  }

  private static ExecOutcome.SchemaCheck schemaCheck(ValidationResult r) {
    return new ExecOutcome.SchemaCheck(true, r.parseError(), r.violations().stream()
        .map(v -> new ExecOutcome.Problem(v.pointer(), v.message() + " (" + v.keyword() + ")")).toList());
  }

  /**
   * What tool commands get of our environment, by {@code shell_environment_policy} and the run's secret rule (which
   * names every provider's key and header variables). Logging is set up again here: with the providers' variables
   * known (an env_key may have any name), log lines hide every value the rule names, the resolved key, and
   * secret-named values the user {@code set} for tools, which a tool may echo.
   */
  private ToolEnvironment toolEnvironment(RunConfig config) {
    SecretRule rule = config.secretRule();
    ToolEnvironment tools = config.shellEnvironmentPolicy().apply(environment.variables(), rule);
    options.logging.install(environment, err, new Redactor(config.secretValues(environment.variables())));
    if (!tools.refused().isEmpty() && !options.logging.quiet) {
      err.println("runner: warning: shell_environment_policy.set names " + String.join(", ", tools.refused())
          + ", which a model provider reads its key or a header from; tool commands never get those variables");
    }
    return tools;
  }

  /**
   * On SIGINT/SIGTERM the JVM runs shutdown hooks and exits 130/143; the shell's command host runs in its own session,
   * so it and the commands would outlive us unless stopped here. Closing the host also ends commands' orphans, which
   * are no longer our descendants.
   */
  private static void stopChildren(ToolContext tools, McpWiring mcp) {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    try {
      mcp.close(); // what the servers' first processes left behind in their sessions
    } finally {
      tools.close();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running or has run
    }
  }

  private Path resolve(Path p) {
    return environment.workingDirectory().resolve(p).normalize();
  }

  private boolean progressShown() {
    return !options.json && !options.logging.quiet;
  }

  private List<Path> resolveAll(List<Path> paths) {
    return paths.stream().map(this::resolve).toList();
  }

  private static Path tempDirectory() {
    try {
      return TempFolders.createDirectory("runner-review");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (java.io.IOException e) {
      // a leftover schema copy in the temporary folder harms nothing
    }
  }

  private Path workspace() {
    Path dir = options.workingDirectory == null ? environment.workingDirectory() : resolve(options.workingDirectory);
    if (!Files.isDirectory(dir)) {
      throw RunnerException.usage("-C " + dir + " is not a directory", "pass an existing folder to -C/--cd");
    }
    if (!options.skipGitRepoCheck && !insideGitRepository(dir)) {
      throw RunnerException.usage(dir + " is not inside a git repository",
          "run inside a repository (so changes can be reviewed and undone) or pass --skip-git-repo-check");
    }
    return dir;
  }

  private static boolean insideGitRepository(Path dir) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * As codex picks it: {@code --dangerously-bypass-approvals-and-sandbox} wins, then {@code -s}, then {@code
   * --full-auto}/{@code --approve-for-me}, then {@code sandbox_mode}; the default is read-only. What workspace-write
   * widens ({@code writable_roots}, {@code --add-dir}, {@code network_access}) is read by {@link SandboxSetup}.
   */
  private SandboxMode sandboxMode(RunConfig config) {
    SandboxMode mode;
    if (options.codex.bypassApprovalsAndSandbox) {
      mode = SandboxMode.DANGER_FULL_ACCESS;
    } else if (options.sandbox != null) {
      mode = SandboxMode.fromLabel(options.sandbox.label).orElseThrow();
    } else if (options.fullAuto || options.codex.approveForMe) {
      mode = SandboxMode.WORKSPACE_WRITE;
    } else {
      mode = config.codex().sandboxMode().flatMap(SandboxMode::fromLabel).orElse(SandboxMode.READ_ONLY);
    }
    return mode;
  }

  /** Remembers the last final message, for {@code -o} when the schema check fails. */
  private static final class LastMessage implements LoopListener {
    private volatile String text;

    @Override
    public void finalMessage(String message) {
      text = message;
    }
  }

  /** Sends tool callbacks to several listeners. */
  private record ToolListeners(List<ToolListener> listeners) implements ToolListener {
    @Override
    public void commandStarted(String callId, String command) {
      listeners.forEach(l -> l.commandStarted(callId, command));
    }

    @Override
    public void commandFinished(ToolResult result) {
      listeners.forEach(l -> l.commandFinished(result));
    }

    @Override
    public void planUpdated(String callId, ToolResult.PlanUpdated plan) {
      listeners.forEach(l -> l.planUpdated(callId, plan));
    }

    @Override
    public void mcpCallStarted(String callId, String server, String tool,
        com.fasterxml.jackson.databind.JsonNode arguments) {
      listeners.forEach(l -> l.mcpCallStarted(callId, server, tool, arguments));
    }
  }
}
