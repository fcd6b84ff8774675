package dev.runner.cli;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.config.ConfigResolver;
import dev.runner.config.RunConfig;
import dev.runner.config.Transport;
import dev.runner.environment.SecretRule;
import dev.runner.environment.ToolEnvironment;
import dev.runner.logging.Redactor;
import dev.runner.loop.AgentLoop;
import dev.runner.loop.AnswerCheck;
import dev.runner.loop.Instructions;
import dev.runner.loop.LoopListener;
import dev.runner.loop.LoopOutcome;
import dev.runner.loop.LoopSettings;
import dev.runner.metrics.MetricsFiles;
import dev.runner.metrics.RunRecorder;
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
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolRegistry;
import dev.runner.tools.ToolResult;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportKind;
import dev.runner.transport.TransportListener;
import dev.runner.transport.Transports;
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

  ExecRun(ExecCommand options, Environment environment, PrintWriter out, PrintWriter err) {
    this.options = options;
    this.environment = environment;
    this.out = out;
    this.err = err;
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
    String task = new PromptReader(environment).read(options.prompt);
    stop.check();
    RunConfig config = ConfigResolver.resolve(options.configOptions.toInput(environment));
    ToolEnvironment toolEnvironment = toolEnvironment(config);
    if (!config.provider().embedded()) {
      config.provider().resolveApiKey(environment.variables()); // a missing key fails here, before any work
    }
    Path workspace = workspace();
    SandboxMode sandbox = sandboxMode();
    Sandbox.check(sandbox, workspace, environment.variables());
    OutputSchema schema = options.outputSchema == null ? null : OutputSchema.load(resolve(options.outputSchema));
    if (schema != null && !options.logging.quiet) {
      schema.warnings().forEach(w -> err.println("runner: warning: " + w));
    }
    Duration timeout = options.timeout != null ? options.timeout : LoopSettings.DEFAULT_TIMEOUT;
    Clock clock = Clock.systemUTC();

    RunRecorder recorder = new RunRecorder(config.provider().id(), config.transport().transport().label(),
        config.model(), LaunchTime.current(), System::nanoTime);
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
    SandboxPolicy hidden = new SandboxPolicy(config.sandboxPaths().hide(), config.sandboxPaths().expose());
    ToolContext tools = new ToolContext(workspace, sandbox, toolEnvironment, deadline, clock,
        (int) Math.min(Integer.MAX_VALUE, config.toolOutputTokenLimit()), new ToolListeners(toolListeners),
        new CommandHost(workspace, sandbox, toolEnvironment, hidden));
    LoopSettings settings = new LoopSettings(config.model(), Instructions.standard(),
        schema == null ? null : schema.textConfig(),
        options.maxTurns != null ? options.maxTurns : LoopSettings.DEFAULT_MAX_TURNS,
        timeout, true, options.schemaRetries != null ? options.schemaRetries : LoopSettings.DEFAULT_SCHEMA_RETRIES,
        Math.max(0, config.modelAutoCompactTokenLimit().orElse(0)));
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
    stop.onStop(() -> stopChildren(tools));
    Thread interruptHook = new Thread(() -> stopChildren(tools), "runner-interrupt");
    Runtime.getRuntime().addShutdownHook(interruptHook);
    BackgroundClose toolsClosing = new BackgroundClose("runner-tools-close", tools::close);
    // Under a sandbox the host's start is the check that bubblewrap works here: it starts now, beside the
    // transport's set-up, and the first request waits for it. Without one it starts once the first request is out:
    // its start (bash and its first worker) then overlaps the model's first answer instead of competing with the
    // handshake and the first request for the cores.
    CompletableFuture<Void> sandboxedHost = sandbox.isolated() ? tools.commands().warmUp() : null;
    TransportListener transportListener = sandboxedHost != null
        ? recorder
        : TransportListener.all(List.of(recorder, new OnFirstRequest(tools.commands()::warmUp)));
    try (ProviderWiring wiring = new ProviderWiring(config, environment.variables());
        ModelTransport transport = Transports.create(wiring.settings(), kind, forced, transportListener)) {
      // the first connection opens while the first request is built
      transport.preconnect(deadline);
      if (sandboxedHost != null) {
        Sandbox.awaitHost(sandboxedHost, sandbox);
      }
      AgentLoop loop = new AgentLoop(transport, ToolRegistry.standard(), tools, settings, check,
          LoopListener.all(loopListeners), clock, stop);
      LoopOutcome outcome;
      try {
        outcome = loop.run(task);
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
      return ExitCode.SUCCESS.code();
    } catch (RuntimeException caught) {
      RuntimeException e = stop.stopped() ? stop.exception() : caught;
      if (stop.stopped()) {
        Thread.interrupted();
      }
      if (jsonl != null) {
        jsonl.finishFailed(e.getMessage());
      }
      if (e instanceof RunnerException re && re.exitCode() == ExitCode.SCHEMA_VIOLATION
          && options.outputLastMessage != null && last.text != null) {
        FinalMessage.writeFile(resolve(options.outputLastMessage), last.text);
      }
      throw e;
    } finally {
      toolsClosing.start();
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
  private static void stopChildren(ToolContext tools) {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    tools.close();
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

  /** {@code -s} wins, then {@code --full-auto}; the default is read-only, as in codex. */
  private SandboxMode sandboxMode() {
    if (options.sandbox != null) {
      return SandboxMode.fromLabel(options.sandbox.label).orElseThrow();
    }
    return options.fullAuto ? SandboxMode.WORKSPACE_WRITE : SandboxMode.READ_ONLY;
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
  }
}
