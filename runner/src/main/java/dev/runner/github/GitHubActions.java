package dev.runner.github;

import dev.runner.metrics.RunReport;
import dev.runner.tools.ToolListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runner tells GitHub Actions when it runs in a workflow step ({@code GITHUB_ACTIONS=true}, unless
 * {@code --no-github}): step outputs in {@code $GITHUB_OUTPUT}, a Markdown step summary in
 * {@code $GITHUB_STEP_SUMMARY}, and {@code ::error}/{@code ::warning} annotations on stderr. Nothing else in the
 * runner knows about GitHub. Failing to write a file warns and never changes the exit code: the run's outcome is
 * what it was.
 */
public final class GitHubActions {
  /** The step outputs an exec sets (those without a value are left out). */
  public static final List<String> EXEC_OUTPUTS = List.of("final-message", "exit-code", "result-file", "metrics-file",
      "schema-valid");
  /** The step outputs a batch sets. */
  public static final List<String> BATCH_OUTPUTS = List.of("exit-code", "results-file", "junit-file", "metrics-file",
      "ok", "failed", "schema-invalid");

  /** How many annotations of one kind a run makes at most; GitHub shows only 10 errors per step anyway. */
  static final int MAX_ANNOTATIONS = 10;

  private final boolean active;
  private final Path outputFile;
  private final Path summaryFile;
  private final PrintWriter err;
  private final WorkflowCommands commands;

  private GitHubActions(boolean active, Path outputFile, Path summaryFile, PrintWriter err) {
    this.active = active;
    this.outputFile = outputFile;
    this.summaryFile = summaryFile;
    this.err = err;
    this.commands = new WorkflowCommands(err);
  }

  /** Active when {@code GITHUB_ACTIONS=true} and not {@code optedOut}; files from the environment, when set. */
  public static GitHubActions detect(Map<String, String> env, boolean optedOut, PrintWriter err) {
    boolean active = !optedOut && "true".equals(env.get("GITHUB_ACTIONS"));
    return new GitHubActions(active, path(env.get("GITHUB_OUTPUT")), path(env.get("GITHUB_STEP_SUMMARY")), err);
  }

  private static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  public boolean active() {
    return active;
  }

  /** A listener folding each command's output into a log group, for verbose runs; does nothing when inactive. */
  public ToolListener toolOutputGroups() {
    return active ? new ToolOutputGroups(commands, err) : ToolListener.NONE;
  }

  /** Outputs, summary and annotations for one {@code runner exec}. */
  public void execFinished(ExecOutcome o) {
    if (!active) {
      return;
    }
    ExecOutcome.SchemaCheck schema = o.schema();
    if (schema.parseError() != null) {
      commands.error("Output is not JSON", schema.parseError());
    }
    schema.problems().stream().limit(MAX_ANNOTATIONS).forEach(p -> commands.error(
        "Output schema violation at " + p.location(), p.location() + ": " + p.message()));
    if (o.exitCode() != 0 && schema.problems().isEmpty() && schema.parseError() == null) {
      commands.error("runner exec failed (exit " + o.exitCode() + ")", o.error() == null ? "" : o.error());
    }
    RunReport r = o.report();
    if (r != null) {
      RunReport.Counters c = r.counters();
      if (c.fallbacks() > 0) {
        commands.warning("WebSocket fell back to HTTP", c.fallbacks() + " WebSocket session(s) switched to HTTP"
            + " (see runner.transport.fallbacks in --metrics)");
      }
      if (c.retries() > 0) {
        commands.warning("Requests retried", c.retries() + " request(s) or stream(s) were retried");
      }
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("final-message", o.finalMessage());
    outputs.put("exit-code", Integer.toString(o.exitCode()));
    outputs.put("result-file", o.resultFile() == null ? null : o.resultFile().toString());
    outputs.put("metrics-file", o.metricsFile() == null ? null : o.metricsFile().toString());
    outputs.put("schema-valid", schema.checked() ? Boolean.toString(schema.valid()) : null);
    writeOutputs(outputs);
    appendSummary(ExecSummary.markdown(o));
  }

  /** Outputs, summary and annotations for one {@code runner batch}. */
  public void batchFinished(BatchOutcome o) {
    if (!active) {
      return;
    }
    o.tasks().stream().filter(t -> !"ok".equals(t.status())).limit(MAX_ANNOTATIONS)
        .forEach(t -> commands.error("Task " + t.id() + ": " + t.status(),
            t.errors().isEmpty() ? t.status() : String.join("\n", t.errors())));
    o.tasks().stream().filter(t -> t.attempts() > 1).limit(MAX_ANNOTATIONS)
        .forEach(t -> commands.warning("Task " + t.id() + " retried", "ran " + t.attempts() + " times"));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("exit-code", Integer.toString(o.exitCode()));
    outputs.put("results-file", o.resultsFile().toString());
    outputs.put("junit-file", o.junitFile() == null ? null : o.junitFile().toString());
    outputs.put("metrics-file", o.metricsFile() == null ? null : o.metricsFile().toString());
    outputs.put("ok", Integer.toString(o.count("ok")));
    outputs.put("failed", Integer.toString(o.count("failed") + o.count("timeout") + o.count("cancelled")));
    outputs.put("schema-invalid", Integer.toString(o.count("schema_invalid")));
    writeOutputs(outputs);
    appendSummary(BatchSummaryMarkdown.markdown(o));
  }

  private void writeOutputs(Map<String, String> outputs) {
    if (!EXEC_OUTPUTS.containsAll(outputs.keySet()) && !BATCH_OUTPUTS.containsAll(outputs.keySet())) {
      throw new IllegalStateException("undeclared step output among " + outputs.keySet());
    }
    if (outputFile == null) {
      return;
    }
    try {
      new OutputFile(outputFile, new SecureRandom()).write(outputs);
    } catch (IOException | RuntimeException e) {
      err.println("runner: warning: could not write step outputs to GITHUB_OUTPUT " + outputFile + ": "
          + e.getMessage() + "; the run's result is unchanged");
    }
  }

  private void appendSummary(String markdown) {
    if (summaryFile == null) {
      return;
    }
    try {
      Files.writeString(summaryFile, markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      err.println("runner: warning: could not write the step summary to GITHUB_STEP_SUMMARY " + summaryFile + ": "
          + e.getMessage() + "; the run's result is unchanged");
    }
  }
}
