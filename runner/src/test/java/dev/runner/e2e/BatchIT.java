package dev.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner batch} and {@code runner merge} as processes of the packaged launcher, killed and sharded. */
class BatchIT {
  static final Path LAUNCHER = Path.of(System.getProperty("runner.launcher"));

  @TempDir
  Path dir;

  RunningEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  void startEmulator(String scenarioJson) throws IOException {
    Path scenario = dir.resolve("scenario.json");
    Files.writeString(scenario, scenarioJson);
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withRequireAuth(false)
        .withScenario(scenario.toString()));
  }

  Path tasks(int n) throws IOException {
    Files.createDirectories(dir.resolve("work"));
    Files.writeString(dir.resolve("work/input.txt"), "data\n");
    StringBuilder b = new StringBuilder();
    IntStream.range(0, n).forEach(i -> b.append("{\"id\":\"task-").append(i).append("\",\"prompt\":\"do ")
        .append(i).append("\",\"cwd\":\"work\"}\n"));
    Path file = dir.resolve("tasks.jsonl");
    Files.writeString(file, b.toString());
    return file;
  }

  Process start(Map<String, String> extraEnv, String name, String... args) throws IOException {
    return start(extraEnv, name, false, args);
  }

  /** With {@code onTerminal}, through {@code script}: stdout and stderr are a pseudo-terminal, copied to NAME.out. */
  Process start(Map<String, String> extraEnv, String name, boolean onTerminal, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    if (args[0].equals("batch")) {
      String p = "model_providers.emu.";
      command.addAll(List.of("--provider", "emu", "-c", p + "base_url=" + emulator.baseUrl(), "-c",
          p + "supports_websockets=true", "-c", p + "websocket_lanes=true", "-s", "danger-full-access",
          "--concurrency", "4"));
      if (!List.of(args).contains("--workspace")) {
        command.addAll(List.of("--workspace", "copy"));
      }
    }
    if (onTerminal) {
      String line = String.join(" ", command.stream().map(c -> "'" + c.replace("'", "'\\''") + "'").toList());
      command = List.of("script", "-qec", line, "/dev/null");
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("CODEX_HOME", dir.resolve("codex").toString());
    env.put("RUNNER_HOME", dir.resolve("runner-home").toString());
    env.remove("JAVA_HOME");
    env.remove("RUNNER_LOG");
    env.remove("JOB_COMPLETION_INDEX");
    env.remove("JOB_COMPLETIONS");
    // the batch's scratch parent lives in the JVM's temporary folder: this test's own, so other runs cannot touch it
    Files.createDirectories(tmp());
    env.put("RUNNER_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp());
    env.putAll(extraEnv);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(dir.resolve(name + ".out").toFile());
    pb.redirectError(dir.resolve(name + ".err").toFile());
    return pb.start();
  }

  int finish(Process p, String name) throws Exception {
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(name + " finished within 180 s").isTrue();
    return p.exitValue();
  }

  String err(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
  }

  static Map<String, Integer> terminalLinesById(Path results) throws IOException {
    Map<String, Integer> count = new HashMap<>();
    for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
      JsonNode r = Json.MAPPER.readTree(line);
      if (!r.get("status").asText().equals("cancelled")) {
        count.merge(r.get("id").asText(), 1, Integer::sum);
      }
    }
    return count;
  }

  @Test
  void killedWithSigkillMidRunThenResumedEveryIdHasExactlyOneResult() throws Exception {
    startEmulator("{\"turns\":[{\"shell\":\"cat input.txt\"},{\"text\":\"done\",\"latency_ms\":150}]}");
    Path tasks = tasks(40);
    Path results = dir.resolve("results.jsonl");
    Process first = start(Map.of(), "first", "batch", "--results", results.toString(), tasks.toString());
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines(results) < 5 && first.isAlive() && System.nanoTime() < waitUntil) {
      Thread.sleep(20); // polling the file the process writes; nothing here proves a timeout
    }
    assertThat(first.isAlive()).as("still running after 5 results: " + err("first")).isTrue();
    first.destroyForcibly(); // SIGKILL: the launcher execs java, so this is the JVM itself
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(137);
    long written = lines(results);
    assertThat(written).isBetween(5L, 39L);

    Process resumed = start(Map.of(), "resumed", "batch", "--results", results.toString(), "--resume",
        "--junit", "junit.xml", tasks.toString());
    assertThat(finish(resumed, "resumed")).as(err("resumed")).isZero();
    Map<String, Integer> terminal = terminalLinesById(results);
    assertThat(terminal).hasSize(40);
    assertThat(terminal.values()).containsOnly(1);
    assertThat(err("resumed")).contains("(" + written + " already done, skipped)");

    Process again = start(Map.of(), "again", "batch", "--results", results.toString(), "--resume",
        tasks.toString());
    assertThat(finish(again, "again")).as(err("again")).isZero();
    assertThat(err("again")).contains("nothing to run");
    assertThat(terminalLinesById(results).values()).containsOnly(1).hasSize(40);
  }

  @Test
  void shardsRunAsSeparateProcessesAndMergedCoverEveryIdOnce() throws Exception {
    startEmulator("{\"turns\":[{\"text\":\"done\"}]}");
    Path tasks = tasks(30);
    List<Process> shards = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      shards.add(start(Map.of("JOB_COMPLETION_INDEX", Integer.toString(i), "JOB_COMPLETIONS", "3"), "shard" + i,
          "batch", "--results", "results-" + i + ".jsonl", tasks.toString()));
    }
    int total = 0;
    for (int i = 0; i < 3; i++) {
      assertThat(finish(shards.get(i), "shard" + i)).as(err("shard" + i)).isZero();
      assertThat(err("shard" + i)).contains("shard " + i + "/3");
      int n = terminalLinesById(dir.resolve("results-" + i + ".jsonl")).size();
      assertThat(n).as("shard %d ran some tasks", i).isPositive();
      total += n;
    }
    assertThat(total).isEqualTo(30);

    Process merge = start(Map.of(), "merge", "merge", "results-0.jsonl", "results-1.jsonl", "results-2.jsonl",
        "-o", "all.jsonl", "--junit", "all.xml", "--tasks", "tasks.jsonl");
    assertThat(finish(merge, "merge")).as(err("merge")).isZero();
    Map<String, Integer> all = terminalLinesById(dir.resolve("all.jsonl"));
    assertThat(all).hasSize(30);
    assertThat(all.values()).containsOnly(1);
    assertThat(Files.readString(dir.resolve("all.xml"))).contains("tests=\"30\"");

    Process partial = start(Map.of(), "partial", "merge", "results-0.jsonl", "results-1.jsonl", "results-1.jsonl",
        "-o", "some.jsonl", "--tasks", "tasks.jsonl");
    assertThat(finish(partial, "partial")).isEqualTo(1);
    assertThat(err("partial")).contains("missing").doesNotContain("duplicated"); // the same file twice is one file
    int missing = terminalLinesById(dir.resolve("results-2.jsonl")).size();
    assertThat(err("partial")).contains("runner: " + missing + " id" + (missing == 1 ? "" : "s") + " missing");

    // a shard run twice (a retried CI job writing a second file) finishes its tasks twice
    Files.copy(dir.resolve("results-1.jsonl"), dir.resolve("results-1-again.jsonl"));
    int twice = terminalLinesById(dir.resolve("results-1.jsonl")).size();
    Process dup = start(Map.of(), "dup", "merge", "results-0.jsonl", "results-1.jsonl", "results-1-again.jsonl",
        "results-2.jsonl", "-o", "dup.jsonl", "--tasks", "tasks.jsonl");
    assertThat(finish(dup, "dup")).isEqualTo(1);
    assertThat(err("dup")).contains("runner: " + twice + " id" + (twice == 1 ? "" : "s") + " duplicated")
        .doesNotContain("missing");
    assertThat(terminalLinesById(dir.resolve("dup.jsonl"))).hasSize(30);
  }

  @Test
  void aRunKilledWithSigkillLeavesNoWorktreeOrScratchFolderAfterTheNextRun() throws Exception {
    // each task holds its worktree for 1.5 s while it waits for the model: the kill finds some in flight
    startEmulator("{\"turns\":[{\"shell\":\"echo more >> input.txt\"},{\"text\":\"done\",\"latency_ms\":1500}]}");
    Path tasks = tasks(24);
    git("init", "-q");
    git("add", "work/input.txt");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
    Path results = dir.resolve("results.jsonl");
    Process first = start(Map.of(), "first", "batch", "--workspace", "worktree", "--results", results.toString(),
        tasks.toString());
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    // killed with results written and worktrees in flight (between tasks, all may be removed at once); a folder in
    // .git/worktrees alone is not enough: one a `git worktree add` has only begun is not listed yet
    while ((lines(results) < 3 || git("worktree", "list").strip().lines().count() < 2) && first.isAlive()
        && System.nanoTime() < waitUntil) {
      Thread.sleep(20); // polling what the process writes; nothing here proves a timeout
    }
    assertThat(first.isAlive()).as("still running after 3 results: " + err("first")).isTrue();
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path parent = scratchParent();
    List<Path> left = folders(parent);
    assertThat(left).as("the killed run's scratch folder").singleElement()
        .satisfies(f -> assertThat(f.getFileName().toString()).startsWith(first.pid() + "-"));
    long worktrees = git("worktree", "list").strip().lines().count();
    assertThat(worktrees).as("worktrees the killed run registered, beside the main one").isGreaterThan(1);

    Process resumed = start(Map.of(), "resumed", "batch", "--workspace", "worktree", "--results",
        results.toString(), "--resume", tasks.toString());
    assertThat(finish(resumed, "resumed")).as(err("resumed") + Files.readString(results)).isZero();
    assertThat(folders(parent)).as("scratch folders after the resumed run").isEmpty();
    assertThat(git("worktree", "list").strip().lines()).as("worktrees after the resumed run").hasSize(1);
    assertThat(terminalLinesById(results)).hasSize(24).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    assertThat(git("status", "--porcelain", "work")).as("the repository's own tree is untouched").isEmpty();
  }

  @Test
  void onATerminalProgressIsOneLineRedrawnInPlaceAndInALogItIsPlainLines() throws Exception {
    startEmulator("{\"turns\":[{\"text\":\"done\",\"latency_ms\":100}]}");
    Path tasks = tasks(30);
    Process tty = start(Map.of("TERM", "xterm"), "tty", true, "batch", "--results", "tty.jsonl", tasks.toString());
    assertThat(finish(tty, "tty")).as(Files.readString(dir.resolve("tty.out"))).isZero();
    String screen = Files.readString(dir.resolve("tty.out"), StandardCharsets.UTF_8);
    assertThat(screen).contains("\rrunner: batch ", "/30 done", "turns/s", "\u001b[K",
        "\rrunner: batch 30/30 done, 30 ok");
    // the progress line is redrawn, never scrolled: it ends once, before the summary
    String progress = screen.substring(screen.indexOf("\rrunner: batch "), screen.indexOf("runner: batch of 30"));
    assertThat(progress.chars().filter(c -> c == '\n').count()).as(progress).isEqualTo(1);
    assertThat(screen).contains("runner: batch of 30 tasks: 30 ok");

    Process log = start(Map.of("TERM", "xterm"), "log", "batch", "--results", "log.jsonl", tasks.toString());
    assertThat(finish(log, "log")).as(err("log")).isZero();
    assertThat(err("log")).doesNotContain("\r", "\u001b").contains("runner: batch 30/30 done, 30 ok", "turns/s");
    assertThat(err("log").lines().filter(l -> l.contains("/30 done")).count()).isBetween(1L, 11L);
  }

  Path tmp() {
    return dir.resolve("tmp");
  }

  Path scratchParent() {
    return tmp().resolve("runner-batch-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  static List<Path> folders(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> list = Files.list(parent)) {
      return list.toList();
    }
  }

  String git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    return Files.readString(file, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
  }
}
