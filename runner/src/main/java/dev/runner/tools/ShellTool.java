package dev.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code shell} tool: runs a real process in the workspace, under bubblewrap unless the sandbox
 * is {@code danger-full-access}. Credentials are removed from its environment; a timeout (default
 * 120 s, never past the session deadline) kills the whole process tree. The model gets {@code Exit
 * code / Wall time / Output}, with output cut to the token limit.
 */
public final class ShellTool implements Tool {
  /** Codex-style default for {@code timeout_ms}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(120_000);

  static final int EXIT_TIMED_OUT = 124;
  static final int EXIT_NOT_FOUND = 127;

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public ObjectNode definition() {
    return Schemas.function(
        name(),
        "Runs a command in the workspace and returns its exit code and output (stdout and stderr"
            + " merged). A string command runs with `bash -c`; an array is run as argv directly.",
        Schemas.object(
            "command",
            Schemas.anyOf(
                "The command: a bash script as a string, or an argv array.",
                Schemas.type("string", null),
                Schemas.array(Schemas.type("string", null), null)),
            "workdir",
            Schemas.nullable(
                "string", "Directory to run in, relative to the workspace; null for the root."),
            "timeout_ms",
            Schemas.nullable(
                "integer", "Timeout in milliseconds; null for the default of 120000.")));
  }

  @Override
  public ToolResult run(ToolCall call, ToolContext context) {
    long start = System.nanoTime();
    Request request;
    try {
      request = parse(Arguments.parse(call), context);
    } catch (Arguments.ArgumentException | WorkspacePaths.PathException e) {
      return ToolResult.rejected(call, e.getMessage(), since(start));
    }
    context.listener().commandStarted(call.callId(), request.text());
    ToolResult result = execute(call, request, context, start);
    context.listener().commandFinished(result);
    return result;
  }

  private ToolResult execute(ToolCall call, Request request, ToolContext context, long start) {
    Map<String, String> env = EnvironmentFilter.withoutSecrets(context.environment());
    Duration remaining = context.remaining();
    if (remaining.isZero() || remaining.isNegative()) {
      return failed(call, request, EXIT_TIMED_OUT, true, "session deadline reached: not run", start);
    }
    Optional<Path> program = ProgramLocator.locate(request.argv().get(0), request.cwd(), env);
    if (program.isEmpty()) {
      String msg = "program not found: " + request.argv().get(0);
      return failed(call, request, EXIT_NOT_FOUND, false, msg, start);
    }
    List<String> argv = request.argv();
    if (context.sandbox().isolated()) {
      Optional<Path> bwrap = Sandbox.locateBwrap(env);
      if (bwrap.isEmpty()) {
        String msg = "sandbox " + context.sandbox().label() + " needs bwrap, which is not on PATH";
        return failed(call, request, EXIT_NOT_FOUND, false, msg, start);
      }
      argv = BwrapCommand.wrap(bwrap.get(), context.sandbox(), request.root(), request.cwd(), argv);
    }
    Duration timeout = request.timeout().compareTo(remaining) < 0 ? request.timeout() : remaining;
    HeadTailBuffer buffer = Truncation.bufferFor(context.toolOutputTokenLimit());
    CommandRunner.Outcome outcome;
    try {
      outcome = CommandRunner.run(argv, request.cwd(), env, timeout, buffer);
    } catch (IOException e) {
      String msg = "failed to start " + request.argv().get(0) + ": " + e.getMessage();
      return failed(call, request, EXIT_NOT_FOUND, false, msg, start);
    }
    Truncation.Cut cut = Truncation.cut(outcome.output());
    String body = cut.text();
    int exit = outcome.exitCode();
    if (outcome.timedOut()) {
      exit = EXIT_TIMED_OUT;
      body = "command timed out after " + timeout.toMillis() + " milliseconds\n" + body;
    }
    String text = ShellOutput.format(exit, outcome.wallTime(), cut.truncated(), cut.totalLines(), body);
    boolean ok = exit == 0 && !outcome.timedOut();
    return new ToolResult(
        call.callId(),
        text,
        ok,
        since(start),
        new ToolResult.CommandRun(request.text(), exit, outcome.timedOut(), body));
  }

  private static ToolResult failed(
      ToolCall call, Request request, int exit, boolean timedOut, String message, long start) {
    Duration took = since(start);
    String text = ShellOutput.format(exit, took, false, 1, message);
    return new ToolResult(
        call.callId(),
        text,
        false,
        took,
        new ToolResult.CommandRun(request.text(), exit, timedOut, message));
  }

  private static Request parse(Arguments args, ToolContext context) {
    JsonNode command = args.required("command");
    List<String> argv = new ArrayList<>();
    String text;
    if (command.isTextual()) {
      text = command.asText();
      if (text.isBlank()) {
        throw args.wrongType("command", "a non-empty string or argv array");
      }
      argv.addAll(List.of("bash", "-c", text));
    } else if (command.isArray() && !command.isEmpty()) {
      for (JsonNode part : command) {
        if (!part.isTextual()) {
          throw args.wrongType("command", "an array of strings");
        }
        argv.add(part.asText());
      }
      text = ShellOutput.join(argv);
    } else {
      throw args.wrongType("command", "a non-empty string or argv array");
    }
    String workdir = args.optionalString("workdir");
    Path root = WorkspacePaths.resolve(context.workspace(), ".");
    Path cwd = workdir == null ? root : WorkspacePaths.resolve(context.workspace(), workdir);
    if (!Files.isDirectory(cwd)) {
      throw new WorkspacePaths.PathException("workdir '" + workdir + "' is not a directory");
    }
    Long timeoutMs = args.optionalLong("timeout_ms");
    if (timeoutMs != null && timeoutMs <= 0) {
      throw args.wrongType("timeout_ms", "a positive integer or null");
    }
    Duration timeout = timeoutMs == null ? DEFAULT_TIMEOUT : Duration.ofMillis(timeoutMs);
    return new Request(List.copyOf(argv), text, root, cwd, timeout);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * A checked call.
   *
   * @param root the workspace as a real path
   */
  private record Request(List<String> argv, String text, Path root, Path cwd, Duration timeout) {}
}
