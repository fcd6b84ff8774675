package dev.runner.batch;

import dev.runner.tools.SandboxPolicy;
import dev.runner.tools.CommandHost;
import dev.runner.environment.ToolEnvironment;
import dev.runner.config.CodexRequestFields;
import dev.runner.config.RunConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.loop.AgentLoop;
import dev.runner.protocol.Item;
import dev.runner.loop.AnswerCheck;
import dev.runner.loop.Instructions;
import dev.runner.loop.LoopListener;
import dev.runner.loop.LoopOutcome;
import dev.runner.loop.LoopSettings;
import dev.runner.schema.OutputSchema;
import dev.runner.schema.ValidationResult;
import dev.runner.schema.Violation;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolListener;
import dev.runner.mcp.McpLaunch;
import dev.runner.mcp.McpServers;
import dev.runner.tools.Tool;
import dev.runner.tools.ToolRegistry;
import dev.runner.transport.ModelTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one task as {@code exec} would, on the calling thread, over a shared transport: its own workspace, its own tool
 * context (whose command host starts only at the task's first shell call and is closed at its end), its own timings.
 * Never throws: every way a task can end becomes its {@link TaskResult}.
 *
 * <p>Command hosts are not reused across tasks. A host is a long-lived shell: its cwd, exported variables, shell
 * functions, background jobs and files it left in its private {@code /tmp} would all carry into the next task, and
 * each task's workspace is a different folder it is bound to (the sandbox mounts it). Starting one costs a process
 * spawn per tool-calling task, small beside the task's model turns; a task that calls no tool starts none.
 */
final class TaskRun {
  private static final dev.runner.logging.Log LOG = dev.runner.logging.Log.of("batch");
  private final SharedTransports transports;
  private final WorkspaceMode workspaceMode;
  private final ScratchSpace scratch;
  /** {@code --strict-config}: a task whose MCP server fails to start fails (exit 2) instead of running without it. */
  private final boolean strictConfig;
  private final Path patchDir;
  private final Map<String, String> env;
  private final Clock clock;
  private final Consumer<ToolContext> active;
  private final Consumer<ToolContext> inactive;
  private final AtomicLong hostsStarted;

  /**
   * @param workspaceMode the mode, or null for each task's default ({@link WorkspaceMode#defaultFor})
   * @param active told of a task's tool context when it is made, so an interrupted batch can stop its processes
   * @param inactive told when it is closed
   * @param hostsStarted counts the command hosts the tasks started
   */
  TaskRun(SharedTransports transports, WorkspaceMode workspaceMode, ScratchSpace scratch, Path patchDir,
      Map<String, String> env, Clock clock, Consumer<ToolContext> active, Consumer<ToolContext> inactive,
      AtomicLong hostsStarted, boolean strictConfig) {
    this.hostsStarted = hostsStarted;
    this.strictConfig = strictConfig;
    this.transports = transports;
    this.workspaceMode = workspaceMode;
    this.scratch = scratch;
    this.patchDir = patchDir;
    this.env = env;
    this.clock = clock;
    this.active = active;
    this.inactive = inactive;
  }

  /** Runs {@code task}, stopping by {@code batchDeadline} at the latest (then the task counts as cancelled). */
  TaskResult run(BatchTask task, Instant batchDeadline) {
    TaskMeter meter = new TaskMeter(System::nanoTime);
    Instant own = clock.instant().plus(task.timeout());
    boolean cutByBatch = batchDeadline != null && batchDeadline.isBefore(own);
    Instant deadline = cutByBatch ? batchDeadline : own;
    WorkspaceMode mode = workspaceMode != null ? workspaceMode : WorkspaceMode.defaultFor(task.cwd());
    TaskWorkspace workspace;
    try {
      workspace = TaskWorkspace.create(mode, task.cwd(), scratch, task.id());
    } catch (IOException | RuntimeException e) {
      return failed(task, meter, ExitCode.TASK_FAILED, "its " + mode.label() + " workspace could not be made: "
          + e.getMessage(), null);
    }
    try (workspace) {
      TaskResult result = converse(task, meter, workspace, deadline, cutByBatch);
      String patch = savePatch(task, workspace);
      return patch == null
          ? result
          : new TaskResult(result.id(), result.status(), result.exitCode(),
              result.output(), result.errors(), result.attempts(), result.transport(), meter.timing(), patch);
    } catch (IOException e) {
      return failed(task, meter, ExitCode.TASK_FAILED, "its changes could not be saved: " + e.getMessage(), null);
    }
  }

  private TaskResult converse(BatchTask task, TaskMeter meter, TaskWorkspace workspace, Instant deadline,
      boolean cutByBatch) {
    Path dir = workspace.dir();
    OutputSchema schema = task.schema();
    ModelTransport transport;
    try {
      transport = transports.transportFor(task.config());
    } catch (RunnerException e) {
      return failed(task, meter, e.exitCode(), e.getMessage(), null);
    }
    // as exec: the task's shell_environment_policy and secret rule decide what commands see, its [sandbox_paths] what
    // the sandbox hides and its [sandbox_workspace_write] what more it allows
    RunConfig config = task.config();
    ToolEnvironment toolEnvironment = config.shellEnvironmentPolicy().apply(env, config.secretRule());
    SandboxPolicy hidden;
    try {
      // relative roots start at the task's cwd, as exec's start at -C; they are the same folders for every copy
      hidden = SandboxSetup.policy(config, task.sandbox(), dir, List.of(), task.cwd());
    } catch (RunnerException e) {
      return failed(task, meter, e.exitCode(), e.getMessage(), null);
    }
    CommandHost host = new CommandHost(dir, task.sandbox(), toolEnvironment, hidden);
    ToolContext tools = new ToolContext(dir, task.sandbox(), toolEnvironment, deadline, clock,
        (int) Math.min(Integer.MAX_VALUE, config.toolOutputTokenLimit()), ToolListener.NONE, host);
    active.accept(tools);
    // per task: see McpServers for why; they start beside the task's first request, which waits for their tools
    McpServers mcp = config.mcpServers().isEmpty()
        ? null
        : McpServers.start(config.mcpServers(),
            new McpLaunch(dir, task.sandbox(), hidden, env, config.secretRule(), strictConfig, "batch"));
    Duration budget = Duration.between(clock.instant(), deadline);
    // the request fields exec derives from the same configuration: reasoning, verbosity, storage
    RunConfig rc = task.config();
    LoopSettings settings = new LoopSettings(rc.model(), Instructions.standard(),
        CodexRequestFields.text(schema == null ? null : schema.textConfig(), rc.codex()), task.maxTurns(),
        budget.isNegative() || budget.isZero() ? Duration.ofMillis(1) : budget, true, task.schemaRetries(),
        Math.max(0, rc.modelAutoCompactTokenLimit().orElse(0)), CodexRequestFields.reasoning(rc.codex()),
        CodexRequestFields.include(rc.codex()), rc.storeResponses());
    AnswerCheck check = schema == null ? AnswerCheck.acceptAll() : answer -> {
      ValidationResult r = schema.validate(answer);
      return r.valid() ? Optional.empty() : Optional.of(new AnswerCheck.Rejection(schema.repairPrompt(r), r.summary()));
    };
    transports.bind(meter);
    try {
      LoopListener listener = LoopListener.all(List.of(meter, new LoopListener() {
        @Override
        public void toolStarted(int turn, ToolCall call) {
          try {
            workspace.beforeTools();
          } catch (IOException e) {
            throw RunnerException.taskFailed("its " + workspace.mode().label() + " workspace could not be "
                + "snapshotted before its first tool call: " + e.getMessage(), e);
          }
        }
      }));
      List<Tool> mcpTools = mcp == null ? List.of() : mcp.tools(w -> LOG.warn("task " + task.id() + ": " + w));
      LoopOutcome outcome = new AgentLoop(transport, ToolRegistry.standard(mcpTools), tools, settings, check, listener,
          clock).run(conversationId(task), List.of(), List.of(Item.Message.user(task.prompt())));
      return new TaskResult(task.id(), TaskStatus.OK, 0, output(schema, outcome.finalMessage()), List.of(), 1,
          meter.transport(), meter.timing(), null);
    } catch (RunnerException e) {
      if (e.exitCode() == ExitCode.SCHEMA_VIOLATION && schema != null && meter.finalMessage() != null) {
        ValidationResult r = schema.validate(meter.finalMessage());
        return new TaskResult(task.id(), TaskStatus.SCHEMA_INVALID, e.exitCode().code(),
            output(schema, meter.finalMessage()), problems(r), 1, meter.transport(), meter.timing(), null);
      }
      if (e.exitCode() == ExitCode.TIMEOUT && cutByBatch) {
        return new TaskResult(task.id(), TaskStatus.CANCELLED, null, null,
            List.of(new TaskResult.Problem(null, "the batch's --deadline passed while it ran")), 1, meter.transport(),
            meter.timing(), null);
      }
      return failed(task, meter, e.exitCode(), e.getMessage(), meter.finalMessage());
    } catch (RuntimeException e) {
      return failed(task, meter, ExitCode.TASK_FAILED, "unexpected " + e.getClass().getSimpleName() + ": "
          + e.getMessage(), meter.finalMessage());
    } finally {
      transports.unbind();
      if (mcp != null) {
        mcp.close();
      }
      tools.close();
      inactive.accept(tools);
      hostsStarted.addAndGet(host.starts());
    }
  }

  private static TaskResult failed(BatchTask task, TaskMeter meter, ExitCode code, String message, String text) {
    TaskStatus status = code == ExitCode.TIMEOUT ? TaskStatus.TIMEOUT : TaskStatus.FAILED;
    return new TaskResult(task.id(), status, code.code(), text == null ? null : TextNode.valueOf(text),
        List.of(new TaskResult.Problem(null, message)), 1, meter.transport(), meter.timing(), null);
  }

  /** Parsed JSON with a schema (when it parses), else the text. */
  private static JsonNode output(OutputSchema schema, String message) {
    if (message == null) {
      return null;
    }
    if (schema != null) {
      ValidationResult r = schema.validate(message);
      if (r.value() != null) {
        return r.value();
      }
    }
    return TextNode.valueOf(message);
  }

  private static List<TaskResult.Problem> problems(ValidationResult r) {
    List<TaskResult.Problem> out = new ArrayList<>();
    if (r.notJson()) {
      out.add(new TaskResult.Problem("", "not JSON: " + r.parseError()));
    }
    for (Violation v : r.violations()) {
      out.add(new TaskResult.Problem(v.pointer(), v.message()));
    }
    if (out.isEmpty()) {
      out.add(new TaskResult.Problem(null, r.summary()));
    }
    return out;
  }

  /** Saves the task's changes as {@code <id>.patch} (written whole, then moved into place); null when none. */
  private String savePatch(BatchTask task, TaskWorkspace workspace) throws IOException {
    byte[] diff = workspace.changes();
    if (diff.length == 0) {
      return null;
    }
    String name = task.id() + ".patch";
    Path target = patchDir.resolve(name);
    Path temp = Files.createTempFile(patchDir, "." + task.id() + "-", ".tmp");
    try {
      Files.write(temp, diff);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return name;
  }

  /**
   * The task's conversation id, sent as its {@code prompt_cache_key}: the same for every attempt of the task, in this
   * run or a resumed one, so that a retry reaches the prompt cache its first attempt filled (and the emulator tells a
   * retry from a new conversation, as it does for one client retrying).
   */
  static String conversationId(BatchTask task) {
    return java.util.UUID.nameUUIDFromBytes(("runner batch task\0" + task.id() + "\0" + task.prompt())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }
}
