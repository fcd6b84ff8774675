package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch task's {@code config} sets {@code sandbox_workspace_write} as {@code -c} does, and the per-task workspaces
 * (copy, worktree) keep working with it: each task's command writes into a shared writable root and, only where its
 * config says so, reaches a loopback server the test runs.
 */
class BatchWritableRootsTest {
  @TempDir
  Path home;

  @TempDir
  Path dir;

  private Path shared;
  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    if (java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "bwrap")))) {
      Assumptions.abort("the workspace-write sandbox needs bubblewrap; install: apt-get install bubblewrap");
    }
    shared = Files.createDirectories(dir.resolve("extra"));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().start(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private CliRun batch(String tasks, String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    env.remove("JOB_COMPLETION_INDEX");
    List<String> all = new ArrayList<>(List.of("batch", "--provider", "emulator", "-s", "workspace-write"));
    all.addAll(List.of(args));
    all.add("-");
    Environment environment = new Environment(env, new ByteArrayInputStream(tasks.getBytes(StandardCharsets.UTF_8)),
        false, dir, home, 0);
    return CliRun.of(environment, all.toArray(String[]::new));
  }

  /** A task whose one command writes SHARED/ID: "net" when it reached the server, then "done". */
  private String task(String id, String cwd, String config) throws IOException {
    Path scenario = home.resolve(id + ".json");
    Files.writeString(scenario, "{\"turns\":[{\"shell\":\"f=" + shared + "/" + id + ";"
        + " (exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo net >> $f); echo done >> $f\"},"
        + "{\"text\":\"written\"}]}");
    return "{\"id\":\"" + id + "\",\"prompt\":\"task " + id + "\",\"cwd\":\"" + cwd + "\",\"config\":{"
        + "\"emulator.scenario\":\"" + scenario + "\"," + config + "}}\n";
  }

  private String written(String id) throws IOException {
    Path file = shared.resolve(id);
    assertThat(file).as("the file of task " + id + " in the shared root").exists();
    return Files.readString(file);
  }

  @Test
  void aTasksConfigSetsWritableRootsAndNetworkInCopiesAndWorktrees() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    BatchCommandTest.git(repo, "init", "-q");
    Files.writeString(repo.resolve("README.md"), "hello\n");
    BatchCommandTest.git(repo, "add", "-A");
    BatchCommandTest.git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");
    Files.createDirectories(dir.resolve("plain"));
    String roots = "\"sandbox_workspace_write.writable_roots\":[\"" + shared + "\"]";
    // relative to the task's cwd, as -c roots are relative to -C
    String relative = "\"sandbox_workspace_write.writable_roots\":[\"../extra\"]";
    String net = ",\"sandbox_workspace_write.network_access\":true";

    CliRun worktrees = batch(task("wtnet", "repo", roots + net) + task("wtcut", "repo", relative), "--workspace",
        "worktree", "--results", "wt.jsonl");
    CliRun copies = batch(task("cpnet", "plain", relative + net) + task("cpcut", "plain", roots),
        "--workspace", "copy", "--results", "cp.jsonl");

    assertThat(worktrees.exit()).as(worktrees.err()).isZero();
    assertThat(copies.exit()).as(copies.err()).isZero();
    for (String results : List.of("wt.jsonl", "cp.jsonl")) {
      List<String> lines = Files.readAllLines(dir.resolve(results));
      assertThat(lines).hasSize(2);
      for (String line : lines) {
        JsonNode l = Json.MAPPER.readTree(line);
        assertThat(l.get("status").asText()).as(line).isEqualTo("ok");
      }
    }
    assertThat(written("wtnet")).isEqualTo("net\ndone\n");
    assertThat(written("cpnet")).isEqualTo("net\ndone\n");
    assertThat(written("wtcut")).isEqualTo("done\n");
    assertThat(written("cpcut")).isEqualTo("done\n");
    assertThat(connections.get()).isEqualTo(2);
    // the repository itself is untouched: each task wrote in its own tree and the shared root
    assertThat(BatchCommandTest.git(repo, "status", "--porcelain")).isEmpty();
  }

  @Test
  void aTaskWithAnUnusableRootFailsTheFileBeforeAnyTaskRuns() throws Exception {
    Files.createDirectories(dir.resolve("plain"));
    Files.writeString(dir.resolve("a-file"), "x");
    String tasks = task("missing", "plain", "\"sandbox_workspace_write.writable_roots\":[\"/no/such/folder\"]")
        + task("file", "plain", "\"sandbox_workspace_write.writable_roots\":[\"../a-file\"]")
        + task("slash", "plain", "\"sandbox_workspace_write.writable_roots\":[\"/\"]");

    CliRun run = batch(tasks, "--workspace", "copy");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(":1: ", "'/no/such/folder'", "does not exist")
        .contains(":2: ", "'../a-file'", "is not a directory")
        .contains(":3: ", "the root folder /");
    try (Stream<Path> files = Files.list(shared)) {
      assertThat(files).isEmpty();
    }
  }
}
