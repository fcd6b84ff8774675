package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.environment.ToolEnvironment;
import dev.runner.protocol.Json;
import dev.runner.logging.LogSettings;
import dev.runner.logging.Logs;
import dev.runner.logging.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session-long command host behind the shell tool, with real bash processes. */
class CommandHostTest {
  @TempDir
  Path workspace;

  private final ShellTool shell = new ShellTool();
  private ToolContext context;

  @BeforeEach
  void openContext() {
    context = Contexts.of(workspace, SandboxMode.DANGER_FULL_ACCESS);
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  static ToolCall script(String script) {
    ObjectNode args = Json.MAPPER.createObjectNode().put("command", script).put("timeout_ms", 30_000);
    return Contexts.call("shell", args.toString());
  }

  static ToolCall argv(String... argv) {
    ObjectNode args = Json.MAPPER.createObjectNode();
    ArrayNode command = args.putArray("command");
    for (String a : argv) {
      command.add(a);
    }
    return Contexts.call("shell", args.toString());
  }

  private ToolResult sh(String script) {
    return shell.run(script(script), context);
  }

  /** The command's output, without the Exit code / Wall time header. */
  private static String output(ToolResult result) {
    return ((ToolResult.CommandRun) result.detail()).aggregatedOutput();
  }

  private static int exit(ToolResult result) {
    return ((ToolResult.CommandRun) result.detail()).exitCode();
  }

  @Test
  void sequentialCallsShareOneHostProcess() throws Exception {
    List<String> shells = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      shells.add(output(sh("echo $$")).strip());
    }

    long host = context.commands().pid();
    assertThat(shells).containsOnly(Long.toString(host));
    // without a sandbox the host is the init of a PID namespace of its own, below a child of ours in a session of its
    // own (unshare, started by setsid)
    assertThat(host).isEqualTo(1);
    ProcessHandle child = context.commands().process().orElseThrow();
    assertThat(ProcessHandle.current().children()).contains(child);
    assertThat(ProcessTree.sessionOf(child.pid())).isEqualTo(child.pid());
  }

  @Test
  void aCommandSeesTheShellStateOfBashDashC() throws Exception {
    // everything a script can see of its shell, minus what differs between any two processes
    String probe = "(set -o posix; set) | grep -Ev"
        + " '^(BASHPID|PPID|_|RANDOM|SRANDOM|EPOCHREALTIME|EPOCHSECONDS|SECONDS|BASH_COMMAND)='; "
        + "shopt -p; set -o; trap -p; declare -F; alias; umask; echo \"$- $# $0 $LINENO $BASH_SUBSHELL\"; "
        + "env | grep -v '^_=' | sort; declare -p OLDPWD; echo \"[$_]\"";

    String viaHost = output(sh(probe));
    ProcessBuilder bashDashC = new ProcessBuilder("bash", "-c", probe)
        .directory(workspace.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    bashDashC.environment().clear();
    bashDashC.environment().putAll(Contexts.baseEnvironment());
    Process plain = bashDashC.start();
    String viaBash = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(plain.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(viaHost).doesNotContain("__rh_").isEqualTo(viaBash);
  }

  @Test
  void optionsSetThroughShellOptsReachEveryCommandAsInBashDashC() throws Exception {
    // bash turns on what SHELLOPTS lists before it runs anything; the host turns them off for itself
    Map<String, String> env = new java.util.HashMap<>(Contexts.baseEnvironment());
    env.put("SHELLOPTS", "noglob:nounset:noclobber");
    String probe = "set +o; echo \"$-\"";
    try (ToolContext withOptions = ToolContext.of(workspace, SandboxMode.DANGER_FULL_ACCESS, env,
        Duration.ofMinutes(5))) {
      String first = output(shell.run(script(probe), withOptions));
      String second = output(shell.run(script(probe), withOptions));

      ProcessBuilder bashDashC = new ProcessBuilder("bash", "-c", probe)
          .directory(workspace.toFile())
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      bashDashC.environment().clear();
      bashDashC.environment().putAll(env);
      Process plain = bashDashC.start();
      String viaBash = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(plain.waitFor(30, TimeUnit.SECONDS)).isTrue();

      assertThat(viaBash).contains("set -o noglob", "set -o nounset", "set -o noclobber", "set +o monitor");
      assertThat(first).isEqualTo(viaBash);
      assertThat(second).isEqualTo(viaBash);
    }
  }

  @Test
  void nothingCarriesOverFromOneCallToTheNext() throws IOException {
    Files.createDirectory(workspace.resolve("sub"));

    sh("cd sub; export LEFT=1; HIDDEN=2; f() { :; }; set -e; trap 'echo bye' EXIT; umask 077");
    ToolResult next = sh("pwd; echo \"${LEFT-unset} ${HIDDEN-unset} $-\"; declare -F; trap -p; umask");

    // signals ignored when this JVM started (under nohup, say) stay ignored, and `trap -p` lists them in bash -c too
    assertThat(output(next))
        .isEqualTo(workspace.toRealPath() + "\nunset unset hBc\n" + plainBash("trap -p") + plainBash("umask"));
  }

  /** What {@code bash -c script} prints when started the way this JVM was. */
  private static String plainBash(String script) throws IOException {
    Process p = new ProcessBuilder("bash", "-c", script).start();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void exitCodesAndSyntaxErrorsAreThoseOfBashDashC() {
    assertThat(exit(sh("exit 300"))).isEqualTo(44);
    assertThat(exit(sh("true; false"))).isEqualTo(1);
    ToolResult syntax = sh("echo never; if");
    assertThat(exit(syntax)).isEqualTo(2);
    assertThat(output(syntax)).contains("syntax error").doesNotContain("never");
    ToolResult missing = sh("echo first\nno-such-program-xyz");
    assertThat(exit(missing)).isEqualTo(127);
    assertThat(output(missing)).isEqualTo("first\nbash: line 2: no-such-program-xyz: command not found\n");
    assertThat(exit(sh("kill -TERM $BASHPID"))).isEqualTo(143);
  }

  @Test
  void concurrentCallsEachGetTheirOwnResult() throws Exception {
    // calls that end normally (reported by their shell), by exit, with an EXIT trap and by exec
    // (reported by the host), started together so that replies and new workers interleave
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      scripts.add(switch (i % 4) {
        case 0 -> "echo out-" + i;
        case 1 -> "echo out-" + i + "; exit " + (i % 7 + 1);
        case 2 -> "trap 'echo out-" + i + "' EXIT; (exit " + (i % 5) + ")";
        default -> "exec echo out-" + i;
      });
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ToolResult>> results = new ArrayList<>();
      for (String s : scripts) {
        results.add(pool.submit(() -> sh(s)));
      }
      for (int i = 0; i < scripts.size(); i++) {
        ToolResult result = results.get(i).get(60, TimeUnit.SECONDS);
        int expected = switch (i % 4) {
          case 1 -> i % 7 + 1;
          case 2 -> i % 5;
          default -> 0;
        };
        assertThat(output(result)).as(scripts.get(i)).isEqualTo("out-" + i + "\n");
        assertThat(exit(result)).as(scripts.get(i)).isEqualTo(expected);
      }
    }
  }

  @Test
  void argvReachesTheProgramVerbatim() {
    ToolResult result = shell.run(
        argv("printf", "[%s]", "it's", "a  b", "two\nlines", "$HOME", "", "*", "-e", "\\n"), context);

    assertThat(exit(result)).isZero();
    assertThat(output(result)).isEqualTo("[it's][a  b][two\nlines][$HOME][][*][-e][\\n]");
  }

  @Test
  void aCommandCannotKillItsHostAndAHostThatDiesFailsTheCallClearlyAndTheNextCallGetsANewHost() throws Exception {
    // the init of a PID namespace gets no signal it does not handle from inside
    assertThat(output(sh("kill -KILL $$; echo survived"))).isEqualTo("survived\n");
    ProcessHandle first = context.commands().process().orElseThrow();
    CompletableFuture<ToolResult> running = CompletableFuture.supplyAsync(() -> sh("touch running; sleep 100"));
    awaitFile(workspace.resolve("running"));

    first.destroyForcibly();
    ToolResult killed = running.get(60, TimeUnit.SECONDS);
    ToolResult next = sh("echo $$");

    assertThat(killed.success()).isFalse();
    assertThat(exit(killed)).isEqualTo(ShellTool.EXIT_HOST_LOST);
    assertThat(output(killed)).startsWith("the command host ended");
    assertThat(next.success()).isTrue();
    assertThat(context.commands().process().orElseThrow()).isNotEqualTo(first);
    assertThat(first.isAlive()).isFalse();
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as(file + " never appeared").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aHostThatCannotStartFailsTheCallWithTheReason() throws IOException {
    // bash is there, bwrap is not
    Path bin = Files.createDirectory(workspace.resolve("bin"));
    Path bash = ProgramLocator.locate("bash", workspace, Contexts.baseEnvironment()).orElseThrow();
    Files.createSymbolicLink(bin.resolve("bash"), bash);
    Map<String, String> env = Map.of("PATH", bin.toString());

    try (ToolContext noBwrap = ToolContext.of(workspace, SandboxMode.READ_ONLY, env, Duration.ofMinutes(1))) {
      ToolResult result = shell.run(script("echo hi"), noBwrap);

      assertThat(exit(result)).isEqualTo(ShellTool.EXIT_NOT_FOUND);
      assertThat(output(result))
          .isEqualTo("cannot start the command host: sandbox read-only needs bwrap, which is not on PATH");
    }
  }

  @Test
  void aSandboxedHostStartedByTheWarmUpOutlivesTheWarmUpThread() throws Exception {
    Map<String, String> env = Contexts.baseEnvironment();
    if (Sandbox.locateBwrap(env).isEmpty()) {
      org.junit.jupiter.api.Assumptions.abort("needs bubblewrap; install: apt-get install bubblewrap");
    }
    try (CommandHost host = new CommandHost(workspace, SandboxMode.READ_ONLY, ToolEnvironment.of(env))) {
      host.warmUp().get(60, TimeUnit.SECONDS);
      ProcessHandle warmed = host.process().orElseThrow();
      // bwrap's parent-death signal follows the thread that started it; the warm-up's thread ends now
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("command-host-start"))
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      CompletableFuture<ProcessHandle> exit = warmed.onExit();

      CommandHost.Outcome outcome = host.run("echo still here", workspace, Duration.ofSeconds(30),
          new HeadTailBuffer(100, 100));

      assertThat(outcome.exitCode()).isZero();
      assertThat(host.process()).as("the first call is served by the warmed-up host").contains(warmed);
      assertThat(exit.completeOnTimeout(null, 2, TimeUnit.SECONDS).get()).as("the warmed-up host still runs").isNull();
    }
  }

  @Test
  void aHostThatEndsAtOnceReportsWhyFromItsWarmUp() throws Exception {
    // the host is gone before it is watched
    Path bin = RefusingBwrap.install(workspace);
    Map<String, String> env = Contexts.baseEnvironment();
    env.put("PATH", bin + ":" + env.get("PATH"));
    for (int i = 0; i < 10; i++) { // repeated: the host's death races the start of its watchdog (once seen to escape as a rejected task)
      try (CommandHost host = new CommandHost(workspace, SandboxMode.READ_ONLY, ToolEnvironment.of(env))) {
        Throwable failure = host.warmUp().handle((ok, e) -> e).get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(CommandHost.HostException.class);
        assertThat(failure.getMessage()).startsWith("cannot start the command host: ")
            .contains(RefusingBwrap.MESSAGE);
      }
    }
  }

  @Test
  void outputPastTheDiskCapIsSpooledAndKeepsHeadAndTail() throws IOException {
    long cap = 100_000;
    Map<String, String> env = Contexts.baseEnvironment();
    Clock clock = Clock.systemUTC();
    CommandHost host = new CommandHost(
        workspace, SandboxMode.DANGER_FULL_ACCESS, ToolEnvironment.of(env),
        new CommandHost.Spooling(cap, Duration.ofMillis(20)));
    // each chunk pushes the file past the cap; the next is written only once the file was emptied
    String script = "exec 3>&1; echo first-line; for i in $(seq 1 20); do head -c 150000 /dev/zero | tr '\\0' x; "
        + "echo \" chunk $i\"; n=0; while [ $(stat -L -c %s /proc/self/fd/3) -gt " + cap + " ]; do "
        + "n=$((n+1)); [ $n -lt 400 ] || { echo never-spooled; exit 9; }; sleep 0.01; done; done; echo last-line";
    try (ToolContext spooled = new ToolContext(workspace, SandboxMode.DANGER_FULL_ACCESS, ToolEnvironment.of(env),
        clock.instant().plusSeconds(300), clock, 1000, ToolListener.NONE, host)) {
      ToolResult result = shell.run(script(script), spooled);

      assertThat(exit(result)).as(result.output()).isZero();
      assertThat(result.output())
          .contains("\nOutput:\nfirst-line\nxxx")
          .contains(" tokens truncated…")
          .endsWith("x chunk 20\nlast-line\n")
          .doesNotContain("never-spooled");
      // 22 lines, give or take what a cut raced away
      assertThat(result.output()).containsPattern("Total output lines: (1[5-9]|2[0-2])\n");
    }
  }

  @Test
  void closingEndsLeftoverBackgroundJobsAndOrphans() {
    String marker = Marked.unique();
    try {
      ToolResult result = sh("sleep " + marker + ".1 & (sleep " + marker + ".2 &); " + Marked.awaitStarted(marker, 2));

      assertThat(result.success()).isTrue();
      assertThat(Marked.alive(marker)).hasSize(2);
      context.close();

      assertThat(Marked.alive(marker)).isEmpty();
    } finally {
      Marked.killAll(marker);
    }
  }

  @Test
  void aTimeoutKillsOnlyThatCommand() {
    String marker = Marked.unique();
    try {
      sh("sleep " + marker + ".1 & " + Marked.awaitStarted(marker, 1));

      ToolResult slow = shell.run(
          Contexts.call("shell", "{\"command\":\"sleep " + marker + ".2\",\"timeout_ms\":300}"), context);

      assertThat(exit(slow)).isEqualTo(ShellTool.EXIT_TIMED_OUT);
      assertThat(Marked.alive(marker)).hasSize(1);
      assertThat(output(sh("echo still here"))).isEqualTo("still here\n");
    } finally {
      Marked.killAll(marker);
    }
  }

  @Test
  void whereUnshareIsRefusedTheHostStartsWithoutItAndTheRunSaysSoOnce() throws Exception {
    Path tries = workspace.resolve("tries");
    Path unshare = workspace.resolve("unshare");
    Files.writeString(unshare, "#!/bin/sh\necho tried >>" + tries + "\n"
        + "echo 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n");
    unshare.toFile().setExecutable(true);
    StringWriter log = new StringWriter();
    Logs.install(LogSettings.warnings(), new Redactor(List.of()), new PrintWriter(log, true));
    try (CommandHost host = new CommandHost(workspace, SandboxMode.DANGER_FULL_ACCESS,
        ToolEnvironment.of(Contexts.baseEnvironment()), CommandHost.Spooling.DEFAULT,
        List.of(unshare.toString(), "--pid"))) {
      CommandHost.Outcome first = host.run("echo $$", workspace, Duration.ofSeconds(30), new HeadTailBuffer(100, 100));
      ProcessHandle dead = host.process().orElseThrow();
      dead.destroyForcibly();
      dead.onExit().get(30, TimeUnit.SECONDS);
      CommandHost.Outcome second = host.run("echo $$", workspace, Duration.ofSeconds(30), new HeadTailBuffer(100, 100));

      // a host in a session of its own, started again without another try
      assertThat(new String(first.output().head(), StandardCharsets.UTF_8).strip())
          .isEqualTo(Long.toString(dead.pid()));
      assertThat(second.exitCode()).isZero();
      assertThat(host.process().orElseThrow()).isNotEqualTo(dead);
      assertThat(Files.readAllLines(tries)).hasSize(1);
      assertThat(log.toString()).containsOnlyOnce("the command host runs without a PID namespace of its own")
          .contains("unshare failed: Operation not permitted");
    } finally {
      Logs.install(LogSettings.warnings(), new Redactor(List.of()), new PrintWriter(new StringWriter()));
    }
  }

  @Test
  void aCommandGetsNoneOfTheHostsDescriptors() {
    // what a child of the command inherits: the command's descriptors, but for its output (into a file, not a pipe)
    // and the one ls opens to list them
    String fds = output(sh("ls -l /proc/self/fd/ >fds; tail -n +2 fds | sed 's/.* [0-9]* -> //'"));

    assertThat(fds.lines().toList()).as(fds).hasSize(4).contains("/dev/null").noneMatch(f -> f.contains("pipe:")
        || f.endsWith("/wake") || f.endsWith(".sh"));
    assertThat(fds.lines().filter(f -> f.endsWith(".out")).count()).as(fds).isEqualTo(1);
  }
}
