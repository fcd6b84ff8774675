package dev.runner.tools;

import dev.runner.environment.ToolEnvironment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a tool call may depend on, fixed for one run. The run's {@link CommandHost} lives
 * here, so a context must be closed at the end of the run; copies made with {@code with...} share
 * the host, and closing any of them closes it.
 *
 * @param workspace the workspace root; tools never write outside it. Made absolute and normalized.
 * @param sandbox how far commands and patches may reach
 * @param environment the variables commands get: only a {@link ToolEnvironment} is accepted, so the secret rule and
 *     the {@code shell_environment_policy} have already run
 * @param deadline the session deadline; no command runs past it
 * @param clock the time source the deadline is measured against
 * @param toolOutputTokenLimit how many tokens (≈ 4 bytes each) of command output go back to the
 *     model; default {@value #DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT}
 * @param listener progress callbacks; wrapped so that its exceptions are logged, never thrown
 * @param commands runs the shell commands; made for this workspace, sandbox and environment
 */
public record ToolContext(
    Path workspace,
    SandboxMode sandbox,
    ToolEnvironment environment,
    Instant deadline,
    Clock clock,
    int toolOutputTokenLimit,
    ToolListener listener,
    CommandHost commands)
    implements
      AutoCloseable {

  /** Codex's default {@code tool_output_token_limit}. */
  public static final int DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT = 10_000;

  public ToolContext {
    workspace = Objects.requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(clock, "clock");
    if (toolOutputTokenLimit <= 0) {
      throw new IllegalArgumentException("toolOutputTokenLimit must be positive");
    }
    listener = SafeListener.wrap(Objects.requireNonNull(listener, "listener"));
    if (!Objects.requireNonNull(commands, "commands").serves(workspace, sandbox, environment)) {
      throw new IllegalArgumentException(
          "the command host was made for another workspace, sandbox or environment");
    }
  }

  /** A context with a command host of its own, started on the first shell call. */
  public ToolContext(
      Path workspace,
      SandboxMode sandbox,
      ToolEnvironment environment,
      Instant deadline,
      Clock clock,
      int toolOutputTokenLimit,
      ToolListener listener) {
    this(
        workspace,
        sandbox,
        environment,
        deadline,
        clock,
        toolOutputTokenLimit,
        listener,
        new CommandHost(workspace, sandbox, environment));
  }

  /**
   * A context with the default token limit, the system clock, no listener and a deadline {@code
   * budget} from now; commands get {@code environment} under codex's default policy and the standard
   * secret rule ({@link ToolEnvironment#of}).
   */
  public static ToolContext of(
      Path workspace,
      SandboxMode sandbox,
      Map<String, String> environment,
      Duration budget) {
    Clock clock = Clock.systemUTC();
    return new ToolContext(
        workspace,
        sandbox,
        ToolEnvironment.of(environment),
        clock.instant().plus(budget),
        clock,
        DEFAULT_TOOL_OUTPUT_TOKEN_LIMIT,
        ToolListener.NONE);
  }

  /** A copy with another token limit, sharing the command host. */
  public ToolContext withToolOutputTokenLimit(int limit) {
    return new ToolContext(
        workspace, sandbox, environment, deadline, clock, limit, listener, commands);
  }

  /** A copy with another listener, sharing the command host. */
  public ToolContext withListener(ToolListener newListener) {
    return new ToolContext(
        workspace,
        sandbox,
        environment,
        deadline,
        clock,
        toolOutputTokenLimit,
        newListener,
        commands);
  }

  /** Ends the command host with every process it started; see {@link CommandHost#close()}. */
  @Override
  public void close() {
    commands.close();
  }

  /**
   * The folders apply_patch may write besides the workspace: the policy's writable roots under workspace-write, and
   * under danger-full-access too (where commands may write them anyway); none under read-only.
   */
  public java.util.List<Path> writableRoots() {
    return sandbox == SandboxMode.READ_ONLY ? java.util.List.of() : commands.policy().writableRoots();
  }

  /** Time left before the deadline; zero or negative once it has passed. */
  public Duration remaining() {
    return Duration.between(clock.instant(), deadline);
  }
}
