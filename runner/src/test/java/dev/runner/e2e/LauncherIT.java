package dev.runner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher started as a process, the way users and CI run it. */
class LauncherIT {
  static final Path LAUNCHER = Path.of(System.getProperty("runner.launcher"));
  static final Path PROJECT = Path.of(System.getProperty("runner.projectDir"));

  @TempDir
  Path home;

  record Result(int exit, String out, String err) {}

  Process start(Path cwd, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    return startCommand(cwd, command);
  }

  Process startCommand(Path cwd, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = pb.environment();
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("JAVA_HOME");
    env.remove("RUNNER_LOG");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(home.resolve("out.txt").toFile());
    pb.redirectError(home.resolve("err.txt").toFile());
    return pb.start();
  }

  Result finish(Process p) throws Exception {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished within 120 s").isTrue();
    return new Result(p.exitValue(), Files.readString(home.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(home.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void readmeCommandOnePrintsValidatedJsonAndATimingSummary() throws Exception {
    Result r = finish(start(PROJECT, "exec", "--provider", "emulator", "-s", "danger-full-access",
        "--skip-git-repo-check", "--output-schema", "schemas/examples/repo-summary.json", "Summarize this repository"));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode answer = Json.MAPPER.readTree(r.out());
    assertThat(answer.fieldNames()).toIterable().containsExactlyInAnyOrder("summary", "file_count", "files",
        "languages");
    assertThat(r.err()).contains("runner: done").contains("start-up to 1st request").contains("handshake");
  }

  @Test
  void startUpCountsFromTheLauncherNotFromTheShellThatExecedIt() throws Exception {
    // A CI step runs `something && runner exec ...` in one shell that execs the launcher: the process's fork time
    // (kept across exec) would count the sleep as start-up.
    List<String> command = new ArrayList<>(List.of("bash", "-c", "sleep 2 && exec \"$0\" \"$@\"",
        LAUNCHER.toString(), "exec", "--provider", "emulator", "-s", "danger-full-access", "--skip-git-repo-check",
        "--metrics", home.resolve("m.json").toString(), "hi"));
    long before = System.nanoTime();
    Result r = finish(startCommand(home, command));
    double elapsedMs = (System.nanoTime() - before) / 1e6;
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode session = Json.MAPPER.readTree(home.resolve("m.json").toFile()).path("session");
    assertThat(session.path("startup_from").asText()).isEqualTo("launcher");
    // the launcher starts after the 2 s sleep and the first request goes out before the process ends, however
    // loaded the machine is; counted from the fork, start-up would include the sleep
    assertThat(session.path("startup_to_first_request_ms").asDouble()).isPositive().isLessThan(elapsedMs - 2000);
  }

  @Test
  void versionRunsWithoutJavaHome() throws Exception {
    Result r = finish(start(home, "--version"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("runner ");
  }

  @Test
  void transparentHugePagesAreAskedForOnlyWhereTheKernelOffersThem() throws Exception {
    Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    String mode = Files.isReadable(setting) ? Files.readString(setting) : "";
    boolean offered = mode.contains("[madvise]") || mode.contains("[always]");

    Result r = finish(startWithFlags(LAUNCHER.getParent()));

    assertThat(r.exit()).as(r.err()).isZero();
    // the JVM warns on stdout when the flag is given without kernel support: stdout must stay the program's
    assertThat(r.out()).as("kernel setting: " + mode).doesNotContain("[warning]");
    if (offered) {
      assertThat(r.out()).as("kernel setting: " + mode).contains("-XX:+UseTransparentHugePages");
    } else {
      assertThat(r.out()).as("kernel setting: " + mode).doesNotContain("UseTransparentHugePages");
    }
  }

  @Test
  void theEmulatorRunsOnC1AtItsDefaultThresholdsAndACommandWithLaterOnes() throws Exception {
    // measured choices (see the launcher): C2 kept compiling through a benchmark cell; a CLI run is over too soon
    Result emulator = finish(startWithFlags(LAUNCHER.getParent(), "emulator", "--help"));
    assertThat(emulator.exit()).as(emulator.err()).isZero();
    assertThat(emulator.out()).contains("-XX:TieredStopAtLevel=1").doesNotContain("Tier3InvocationThreshold");

    Result command = finish(startWithFlags(LAUNCHER.getParent()));
    assertThat(command.exit()).as(command.err()).isZero();
    assertThat(command.out()).contains("-XX:TieredStopAtLevel=1").contains("-XX:Tier3InvocationThreshold=1000");
  }

  @Test
  void anAotCacheIsUsedOnlyWithTheJarsItWasMadeWith() throws Exception {
    // an installation like ci/build-runtime.sh makes: launcher, jars and cache side by side, all of one time
    Path install = Files.createDirectory(home.resolve("install"));
    Files.copy(LAUNCHER, install.resolve("runner"));
    Path jar = Files.copy(LAUNCHER.resolveSibling("runner.jar"), install.resolve("runner.jar"));
    Path lib = Files.createDirectory(install.resolve("lib"));
    List<Path> libJars = new ArrayList<>();
    try (var jars = Files.list(LAUNCHER.resolveSibling("lib"))) {
      for (Path j : jars.toList()) {
        libJars.add(Files.copy(j, lib.resolve(j.getFileName())));
      }
    }
    Path cache = Files.write(install.resolve("runner.aot"), new byte[]{1, 2, 3});
    FileTime made = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    for (Path p : List.of(jar, cache)) {
      Files.setLastModifiedTime(p, made);
    }
    for (Path p : libJars) {
      Files.setLastModifiedTime(p, made);
    }

    Result same = finish(startWithFlags(install));
    assertThat(same.exit()).as(same.err()).isZero();
    Matcher jvm = Pattern.compile("JVM: .* (\\d+)[.+]").matcher(same.out());
    assumeTrue(jvm.find() && Integer.parseInt(jvm.group(1)) >= 25, "the launcher found a JDK before 25 (no AOT cache)");
    assertThat(same.err()).doesNotContain("warning");
    assertThat(same.out()).contains("-XX:AOTCache=" + cache);
    if (Integer.parseInt(jvm.group(1)) == 25) {
      // the replay thread the cache would start is turned off on the JDK where the option was checked (the JVM lists
      // -AOTReplayTraining without a cache too, as its default then: the unlock shows that the launcher set it)
      assertThat(same.out()).contains("-XX:+UnlockDiagnosticVMOptions").contains("-XX:-AOTReplayTraining");
    }

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now())); // replaced by a newer build
    Result newer = finish(startWithFlags(install));
    assertThat(newer.exit()).as(newer.err()).isZero();
    assertThat(newer.err()).contains("runner.aot was not made from these jars (" + jar + " differs)");
    assertThat(newer.out()).contains("-XX:TieredStopAtLevel=1").doesNotContain("AOTCache")
        .doesNotContain("UnlockDiagnosticVMOptions");

    Files.setLastModifiedTime(jar, made);
    Path copied = libJars.get(libJars.size() / 2);
    Files.setLastModifiedTime(copied, FileTime.from(Instant.parse("2020-01-01T00:00:00Z"))); // copied with its own time
    Result older = finish(startWithFlags(install));
    assertThat(older.err()).contains("(" + copied + " differs)");
    assertThat(older.out()).doesNotContain("AOTCache");
  }

  /** {@code runner --version} through the launcher in {@code install}, the JVM printing the options it was given. */
  private Process startWithFlags(Path install) throws IOException {
    return startWithFlags(install, "--version");
  }

  /** {@code runner ARGS} through the launcher in {@code install}, the JVM printing the options it was given. */
  private Process startWithFlags(Path install, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(install.resolve("runner").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("RUNNER_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(home.resolve("out.txt").toFile());
    pb.redirectError(home.resolve("err.txt").toFile());
    return pb.start();
  }

  @Test
  void sigtermExits143AndStopsTheRunningCommand() throws Exception {
    Path scenario = home.resolve("slow.json");
    Path marker = home.resolve("marker-" + System.nanoTime());
    Files.writeString(scenario, "{\"turns\":[{\"shell\":\"sleep 1000 && touch " + marker + "\"},{\"final\":\"x\"}]}");
    Process p = start(home, "exec", "--provider", "emulator", "-s", "danger-full-access", "--skip-git-repo-check",
        "-c", "emulator.scenario=" + scenario, "go");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.descendants().noneMatch(h -> h.info().commandLine().orElse("").contains("sleep 1000"))) {
      assertThat(System.nanoTime()).as("the sleep command started").isLessThan(deadline);
      Thread.onSpinWait();
    }
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    Result r = finish(p);
    assertThat(r.exit()).isEqualTo(143);
    for (ProcessHandle h : children) {
      h.onExit().get(10, TimeUnit.SECONDS);
      assertThat(h.isAlive()).as("child %d", h.pid()).isFalse();
    }
  }

  @Test
  void aBrokenConfigIsExit2WithLineAndColumnAndNoSecret() throws Exception {
    Files.createDirectories(home.resolve("runner"));
    Files.writeString(home.resolve("runner/config.toml"), "model = \"x\"\n[model_providers.x\nbase_url = 1\n");
    Result r = finish(start(home, "config"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("config.toml").containsPattern("line 2").containsPattern("column \\d+");
  }
}
