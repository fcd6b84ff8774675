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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Temporary folders go with the run on every exit path, a SIGKILLed tool included: {@code runner exec} as a process,
 * {@code TMPDIR} pointed at a fresh folder, tools that SIGKILL their own shell or the command host, and a command
 * host SIGKILLed from outside in the middle of a call. Each time the model is told what happened, the run ends as
 * the exit-code table says (0: a tool's failure is the model's to handle) and {@code TMPDIR} is empty afterwards.
 */
class ToolKillIT {
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

  record Result(int exit, String out, String err, List<JsonNode> events) {
    /** The finished command_execution items, in order. */
    List<JsonNode> commands() {
      return events.stream().filter(e -> e.path("type").asText().equals("item.completed"))
          .map(e -> e.path("item")).filter(i -> i.path("type").asText().equals("command_execution")).toList();
    }
  }

  Path tmp() {
    return dir.resolve("tmp");
  }

  Process start(String sandbox, String scenarioJson) throws IOException {
    if (!sandbox.equals("danger-full-access") && Stream.of(System.getenv("PATH").split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "bwrap")))) {
      Assumptions.abort("the " + sandbox + " sandbox needs bubblewrap; install: apt-get install bubblewrap");
    }
    Path scenario = dir.resolve("scenario.json");
    Files.writeString(scenario, scenarioJson);
    emulator = EmulatorServer.start(EmulatorOptions.defaults().withPort(0).withRequireAuth(false)
        .withScenario(scenario.toString()));
    Files.createDirectories(tmp());
    Path work = Files.createDirectories(dir.resolve("work"));
    String p = "model_providers.emu.";
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "exec", "--provider", "emu", "-c",
        p + "base_url=" + emulator.baseUrl(), "-c", p + "supports_websockets=true", "-s", sandbox,
        "--skip-git-repo-check", "--json", "run the commands"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.put("TMPDIR", tmp().toString());
    env.put("CODEX_HOME", dir.resolve("codex").toString());
    env.put("RUNNER_HOME", dir.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    return pb.start();
  }

  Result finish(Process p) throws Exception {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the run finished within 120 s").isTrue();
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.lines().toList()) {
      events.add(Json.MAPPER.readTree(line));
    }
    return new Result(p.exitValue(), out, Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8), events);
  }

  List<String> leftovers() throws IOException {
    try (Stream<Path> left = Files.list(tmp())) {
      return left.map(f -> f.getFileName().toString()).toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"danger-full-access", "workspace-write"})
  void toolsThatSigkillTheirShellOrTheHostLeaveNothingInTmpdir(String sandbox) throws Exception {
    Result r = finish(start(sandbox, """
        {"turns":[{"shell":"echo before; kill -9 $BASHPID; echo after"},{"shell":"kill -9 $$; echo survived"},
        {"shell":"ls -d \\"$TMPDIR\\"/runner-host-*"},{"text":"done"}]}
        """));
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> commands = r.commands();
    assertThat(commands).as(r.out()).hasSize(3);
    // the shell that ran the command died of signal 9: 128 + 9, what bash reports
    assertThat(commands.get(0).path("exit_code").asInt()).as(commands.get(0).toString()).isEqualTo(137);
    assertThat(commands.get(0).path("aggregated_output").asText()).contains("before").doesNotContain("after");
    // $$ is the host: it survives (the init of its PID namespace), or the call fails and the next starts another
    assertThat(commands.get(2).path("exit_code").asInt()).as(commands.get(2).toString()).isZero();
    // the host's folder was in TMPDIR while the run lasted
    assertThat(commands.get(2).path("aggregated_output").asText()).contains(tmp().resolve("runner-host-").toString());
    assertThat(leftovers()).as("left in TMPDIR").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"danger-full-access", "workspace-write"})
  void aCommandHostSigkilledFromOutsideMidCallLeavesNothingInTmpdir(String sandbox) throws Exception {
    Process run = start(sandbox, """
        {"turns":[{"shell":"sleep 60"},{"shell":"echo next"},{"text":"done"}]}
        """);
    ProcessHandle host = awaitHost(run.toHandle());
    assertThat(host.destroyForcibly()).isTrue();
    Result r = finish(run);
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> commands = r.commands();
    assertThat(commands).as(r.out()).hasSize(2);
    assertThat(commands.get(0).path("exit_code").asInt()).as(commands.get(0).toString()).isNotZero();
    // the next call starts a new host
    assertThat(commands.get(1).path("exit_code").asInt()).as(commands.get(1).toString()).isZero();
    assertThat(leftovers()).as("left in TMPDIR").isEmpty();
    assertThat(run.toHandle().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
  }

  /**
   * The command host once {@code sleep 60} runs under it: the top-most bash started with its folder in TMPDIR (its
   * jobs are forks with the same command line; unshare and bwrap name the folder too, but are not bash).
   */
  ProcessHandle awaitHost(ProcessHandle runner) throws InterruptedException {
    String folder = tmp().resolve("runner-host-").toString();
    for (int i = 0; i < 600; i++) {
      List<ProcessHandle> all = runner.descendants().toList();
      boolean sleeping = all.stream().anyMatch(h -> commandLine(h).contains("sleep 60"));
      Optional<ProcessHandle> host = all.stream().filter(h -> isHost(h, folder))
          .filter(h -> h.parent().map(parent -> !isHost(parent, folder)).orElse(true)).findFirst();
      if (sleeping && host.isPresent()) {
        return host.get();
      }
      assertThat(runner.isAlive()).as("the run ended before its command started").isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("no command host running 'sleep 60' under " + runner.pid() + " within 60 s");
  }

  static boolean isHost(ProcessHandle h, String folder) {
    return h.info().command().orElse("").endsWith("/bash") && commandLine(h).contains(folder);
  }

  static String commandLine(ProcessHandle h) {
    return h.info().commandLine().orElse("");
  }
}
