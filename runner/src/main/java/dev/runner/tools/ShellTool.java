package dev.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code shell} tool: runs a command in the workspace through the run's {@link CommandHost},
 * under bubblewrap unless the sandbox is {@code danger-full-access}. A string runs as bash source
 * with the semantics of {@code bash -c}, an argv as {@code exec}, in the context's {@link
 * dev.runner.environment.ToolEnvironment} (credentials already removed); a timeout (default 120 s, never past the session deadline) kills the command's
 * process group. The model gets {@code Exit code / Wall time / Output}, with output cut to the
 * token limit: 124 on timeout, 127 for a missing program or a host that cannot start, 125 when the
 * host died while the command ran.
 */
public final class ShellTool implements Tool {
  /** Codex-style default for {@code timeout_ms}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(120_000);

  static final int EXIT_TIMED_OUT = 124;
  /** The command host died while the command ran (see {@link CommandHost}). */
  static final int EXIT_HOST_LOST = 125;
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
    Duration remaining = context.remaining();
    if (remaining.isZero() || remaining.isNegative()) {
      return failed(call, request, EXIT_TIMED_OUT, true, "session deadline reached: not run", start);
    }
    // an argv's program is checked here; a script's are reported by bash itself
    if (request.fromArgv()) {
      Map<String, String> env = context.environment().variables();
      if (ProgramLocator.locate(request.argv().get(0), request.cwd(), env).isEmpty()) {
        String msg = "program not found: " + request.argv().get(0);
        return failed(call, request, EXIT_NOT_FOUND, false, msg, start);
      }
    }
    Duration timeout = request.timeout().compareTo(remaining) < 0 ? request.timeout() : remaining;
    HeadTailBuffer buffer = Truncation.bufferFor(context.toolOutputTokenLimit());
    if (request.script().indexOf('\0') >= 0) {
      // as before, when the JVM refused such an argument
      String msg = "failed to start " + request.argv().get(0) + ": invalid null character in command";
      return failed(call, request, EXIT_NOT_FOUND, false, msg, start);
    }
    CommandHost.Outcome outcome;
    try {
      outcome = context.commands().run(request.script(), request.cwd(), timeout, buffer);
    } catch (CommandHost.HostException e) {
      int exit = e.hostStarted() ? EXIT_HOST_LOST : EXIT_NOT_FOUND;
      return failed(call, request, exit, false, e.getMessage(), start);
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
    String script;
    if (command.isTextual()) {
      text = command.asText();
      if (text.isBlank()) {
        throw args.wrongType("command", "a non-empty string or argv array");
      }
      argv.addAll(List.of("bash", "-c", text));
      script = text;
    } else if (command.isArray() && !command.isEmpty()) {
      for (JsonNode part : command) {
        if (!part.isTextual()) {
          throw args.wrongType("command", "an array of strings");
        }
        argv.add(part.asText());
      }
      text = ShellOutput.join(argv);
      script = HostScript.exec(argv);
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
    return new Request(List.copyOf(argv), command.isArray(), text, script, root, cwd, timeout);
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /**
   * A checked call.
   *
   * @param argv the command as argv ({@code bash -c text} for a string)
   * @param fromArgv true when the model sent an argv, whose program is checked before it runs
   * @param text the command as one line, for progress output
   * @param script the bash source the host runs: the string itself, or an {@code exec} of the argv
   */
  private record Request(
      List<String> argv,
      boolean fromArgv,
      String text,
      String script,
      Path root,
      Path cwd,
      Duration timeout) {}
}
