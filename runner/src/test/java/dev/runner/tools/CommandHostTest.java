package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.environment.ToolEnvironment;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    // without a sandbox the host is our own child, in a session of its own
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).contains(host);
    assertThat(ProcessTree.sessionOf(host)).isEqualTo(host);
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
  void aCommandThatKillsItsHostFailsClearlyAndTheNextCallGetsANewHost() throws Exception {
    long first = context.commands().pid();

    ToolResult killed = sh("kill -KILL $$; sleep 5");
    ToolResult next = sh("echo $$");

    assertThat(killed.success()).isFalse();
    assertThat(exit(killed)).isEqualTo(ShellTool.EXIT_HOST_LOST);
    assertThat(output(killed)).startsWith("the command host ended");
    assertThat(next.success()).isTrue();
    assertThat(output(next).strip()).isNotEqualTo(Long.toString(first));
    assertThat(ProcessTree.isRunning(first)).isFalse();
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
  void closingEndsLeftoverBackgroundJobsAndOrphans() throws IOException {
    ToolResult result = sh("sleep 100 & echo $!; (sleep 100 & echo $!)");
    List<Long> pids = output(result).lines().map(Long::parseLong).toList();

    assertThat(result.success()).isTrue();
    assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).isTrue());
    context.close();

    assertThat(pids).allSatisfy(pid -> assertThat(ProcessTree.isRunning(pid)).isFalse());
  }

  @Test
  void aTimeoutKillsOnlyThatCommand() {
    ToolResult leftover = sh("sleep 100 & echo $!");
    long pid = Long.parseLong(output(leftover).strip());

    ToolResult slow = shell.run(
        Contexts.call("shell", "{\"command\":\"sleep 100\",\"timeout_ms\":300}"), context);

    assertThat(exit(slow)).isEqualTo(ShellTool.EXIT_TIMED_OUT);
    assertThat(ProcessTree.isRunning(pid)).isTrue();
    assertThat(output(sh("echo still here"))).isEqualTo("still here\n");
  }
}
