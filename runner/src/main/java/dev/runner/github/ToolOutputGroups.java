package dev.runner.github;

import dev.runner.tools.ToolListener;
import dev.runner.tools.ToolResult;
import java.io.PrintWriter;

/**
 * With {@code -v} under GitHub Actions: each shell command's output in the log, folded in a group titled with the
 * command and its exit code, so a long log stays readable.
 */
final class ToolOutputGroups implements ToolListener {
  private static final int MAX_TITLE = 120;

  private final WorkflowCommands commands;
  private final PrintWriter err;

  ToolOutputGroups(WorkflowCommands commands, PrintWriter err) {
    this.commands = commands;
    this.err = err;
  }

  @Override
  public void commandFinished(ToolResult result) {
    if (!(result.detail() instanceof ToolResult.CommandRun run)) {
      return;
    }
    String command = run.command().replace('\n', ' ');
    if (command.length() > MAX_TITLE) {
      command = command.substring(0, MAX_TITLE - 1) + "…";
    }
    // one lock for the whole group: commands of one turn may finish at once, and groups must not interleave
    synchronized (err) {
      commands.group("$ " + command + " -> exit " + run.exitCode() + ", " + result.duration().toMillis() + " ms");
      String output = run.aggregatedOutput();
      // a line of the command's own that looks like a workflow command must not end the group or annotate
      err.println(output.replace("::", ":\u200b:"));
      commands.endGroup();
    }
  }
}
