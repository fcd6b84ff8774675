package dev.runner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hidden: the AOT-cache training workload (ci/build-runtime.sh). Runs the commands users run, in one JVM, so the cache
 * holds the classes and profiles of a real run: version, config, exec over both transports and a small batch against a model server
 * in another process ({@code runner emulator}), as with a real provider, each through the path a started process
 * takes. The embedded emulator would put its server classes in the cache too, and every start would map and load
 * them for nothing.
 */
@Command(name = "train-aot", hidden = true, description = "Runs the AOT-cache training workload (used by ci/).")
final class TrainCommand implements Callable<Integer> {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--workdir", required = true)
  Path workdir;

  @Option(names = "--schema", required = true)
  Path schema;

  @Option(names = "--provider", required = true, description = "A provider in RUNNER_HOME's config file whose "
      + "base_url is a `runner emulator --scenario tools:3`.")
  String provider;

  TrainCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    List<String[]> runs = new ArrayList<>(List.of(new String[]{"--version"},
        new String[]{"config", "--provider", provider}, exec("websocket"), exec("http")));
    // a batch's copied workspace takes a git baseline at its first tool call: where git is missing (the Docker
    // image's build stage) the batch's classes are left out of the cache rather than trained on failing tasks
    if (gitOnPath()) {
      try {
        runs.add(batch());
      } catch (IOException e) {
        spec.commandLine().getErr().println("train-aot: cannot write the batch's task file in " + workdir + ": " + e);
        return 1;
      }
    }
    int failed = 0;
    for (String[] args : runs) {
      StringWriter sink = new StringWriter();
      // the path a started process takes, start-up warm-up included
      int code = RunnerCommand.execute(args, environment, new PrintWriter(sink), new PrintWriter(sink));
      if (code != 0) {
        // a cache trained on a failed run lacks what a good run loads: every start would pay for it, silently
        failed++;
        spec.commandLine().getErr()
            .println("train-aot: `runner " + String.join(" ", args) + "` exited " + code + ":\n" + sink);
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /**
   * A batch of a few tasks over the shared WebSocket pool, so that a batch's own classes (task file, results file,
   * progress, summary) start from the cache too; each task in a copy of the folder, as writing tasks run.
   */
  private String[] batch() throws IOException {
    Path tasks = workdir.resolve("train-tasks.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      lines.append("{\"id\":\"train-").append(i).append("\",\"prompt\":\"train\",\"cwd\":")
          .append(dev.runner.protocol.Json.MAPPER.valueToTree(workdir.toString()).toString()).append("}\n");
    }
    Files.writeString(tasks, lines);
    Path results = workdir.resolve("train-results.jsonl");
    Files.deleteIfExists(results);
    return new String[]{"batch", "--provider", provider, "-c", "model_providers." + provider
        + ".supports_websockets=true", "--transport", "websocket", "-s", "danger-full-access", "--workspace", "copy",
        "--concurrency", "2", "--results", results.toString(),
        "--junit", workdir.resolve("train-junit.xml").toString(), tasks.toString()};
  }

  /**
   * The provider from the config file, one setting from the command line: as CI jobs run it. Over WebSocket with an
   * output schema, over HTTP without one, so both kinds of answer check are in the cache.
   */
  private String[] exec(String transport) {
    List<String> args = new ArrayList<>(List.of("exec", "--provider", provider, "-c", "model_providers." + provider
        + ".supports_websockets=true", "--transport", transport, "--skip-git-repo-check", "-s", "danger-full-access",
        "-C", workdir.toString()));
    if (transport.equals("websocket")) {
      args.addAll(List.of("--output-schema", schema.toString()));
    }
    args.add("train");
    return args.toArray(String[]::new);
  }

  private boolean gitOnPath() {
    String path = environment.variables().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "git"))) {
        return true;
      }
    }
    return false;
  }
}
