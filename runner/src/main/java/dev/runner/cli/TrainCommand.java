package dev.runner.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hidden: the AOT-cache training workload (ci/build-runtime.sh). Runs the commands users run, in one JVM, so the cache
 * holds the classes and profiles of a real run: version, config, and exec on the embedded emulator over both
 * transports.
 */
@Command(name = "train-aot", hidden = true, description = "Runs the AOT-cache training workload (used by ci/).")
final class TrainCommand implements Callable<Integer> {
  private final Environment environment;

  @Option(names = "--workdir", required = true)
  Path workdir;

  @Option(names = "--schema", required = true)
  Path schema;

  TrainCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    List<String[]> runs = List.of(new String[]{"--version"}, new String[]{"config", "--provider", "emulator"},
        new String[]{"exec", "--provider", "emulator", "--transport", "websocket", "--skip-git-repo-check", "-s",
            "danger-full-access", "-C",
            workdir.toString(), "--output-schema", schema.toString(), "-c", "emulator.scenario=tools:3", "train"},
        new String[]{"exec", "--provider", "emulator", "--transport", "http", "--skip-git-repo-check", "-s",
            "danger-full-access", "-C",
            workdir.toString(), "--output-schema", schema.toString(), "-c", "emulator.scenario=tools:3", "train"});
    for (String[] args : runs) {
      CommandLine cl = RunnerCommand.commandLine(environment);
      StringWriter sink = new StringWriter();
      cl.setOut(new PrintWriter(sink));
      cl.setErr(new PrintWriter(sink));
      cl.execute(args); // failures show in the cache's coverage, not here: training must not stop the build
    }
    return 0;
  }
}
