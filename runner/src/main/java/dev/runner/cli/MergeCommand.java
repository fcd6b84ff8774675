package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.batch.JunitXml;
import dev.runner.batch.Merge;
import dev.runner.batch.TaskFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner merge}: joins the results files of shards (or of resumed runs) into one. */
@Command(name = "merge", sortOptions = false, usageHelpAutoWidth = true, description = {
    "Joins results files of 'runner batch' (one per shard) into one: per task id the last ok, schema_invalid,",
    "failed or timeout line wins. With --tasks, lists task ids that have no such line (missing) or have one in",
    "more than one file (duplicated), and exits 1 when there are any.",
    ""
}, exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
    "0:merged; with --tasks, every task has exactly one result",
    "1:with --tasks: some ids are missing or duplicated (the merged file is still written)",
    "2:bad input: an unreadable or malformed results or task file"
})
final class MergeCommand implements Callable<Integer>, OptionsInCode {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RESULTS", description = "Results files to join.")
  List<Path> inputs = new ArrayList<>();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Merged results file.")
  Path output;

  @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML of the merged results.")
  Path junit;

  @Option(names = "--tasks", paramLabel = "FILE", description = "The task file: check every id has one result.")
  Path tasks;

  MergeCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void addOptions(CommandLine.Model.CommandSpec spec) {
    StandardOptions.addTo(spec);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = inputs.stream().map(this::resolve).toList();
    List<String> ids = null;
    if (tasks != null) {
      try {
        ids = TaskFile.ids(Files.readString(resolve(tasks), StandardCharsets.UTF_8), tasks.toString());
      } catch (IOException e) {
        throw RunnerException.usage("cannot read --tasks " + tasks + ": " + e.getMessage(),
            "pass the batch's task file");
      }
    }
    Merge.Outcome outcome;
    try {
      outcome = Merge.merge(files, ids);
      Merge.write(resolve(output), outcome.results());
      if (junit != null) {
        JunitXml.write(resolve(junit), "runner batch", outcome.results());
      }
    } catch (IOException e) {
      throw RunnerException.usage("merge failed: " + e.getMessage(),
          "pass results files written by 'runner batch --results'");
    }
    err.println("runner: merged " + outcome.results().size() + " results from " + files.size() + " file"
        + (files.size() == 1 ? "" : "s") + " into " + output);
    report(err, "missing (no ok/schema_invalid/failed/timeout line)", outcome.missing());
    report(err, "duplicated (finished in more than one file)", outcome.duplicated());
    report(err, "not in --tasks", outcome.unknown());
    return outcome.complete() ? 0 : 1;
  }

  private static void report(PrintWriter err, String what, List<String> ids) {
    if (!ids.isEmpty()) {
      err.println("runner: " + ids.size() + " id" + (ids.size() == 1 ? "" : "s") + " " + what + ": "
          + String.join(", ", ids.subList(0, Math.min(20, ids.size()))) + (ids.size() > 20 ? ", ..." : ""));
    }
  }

  private Path resolve(Path p) {
    return environment.workingDirectory().resolve(p).normalize();
  }
}
