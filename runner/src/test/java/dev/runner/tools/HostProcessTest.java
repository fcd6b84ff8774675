package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How a command host ends (by itself when its input closes, killed when it cannot), what it kills at a command's
 * timeout, and what a command can do to its control lines. Real hosts, with the sandbox off (in a PID namespace of
 * its own, or in a session of its own only) and on.
 */
class HostProcessTest {
  /** Where the host runs. */
  enum Scope {
    /** Sandbox off, in a PID namespace of its own (unshare). */
    NAMESPACE,
    /** Sandbox on: bubblewrap's PID namespace. */
    SANDBOX,
    /** Sandbox off, where unshare is refused: a session of its own only. */
    SESSION
  }

  /** Each way a command's process can leave it: its own session (twice), nohup, a double fork, its own group. */
  private static final String[] ESCAPES = {
      "setsid sleep %s.1 &", "(setsid sleep %s.2 &)", "nohup sleep %s.3 >/dev/null 2>&1 &",
      "( (sleep %s.4 &) & )", "(set -m; sleep %s.5 &)"};

  @TempDir
  Path workspace;

  private HostProcess host;
  private final String marker = Marked.unique();

  @AfterEach
  void closeHost() {
    if (host != null) {
      host.close();
    }
    Marked.killAll(marker);
  }

  private HostProcess start() throws CommandHost.HostException {
    return start(Scope.NAMESPACE);
  }

  private HostProcess start(Scope scope) throws CommandHost.HostException {
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
    SandboxMode mode = SandboxMode.DANGER_FULL_ACCESS;
    if (scope == Scope.SANDBOX) {
      if (Sandbox.locateBwrap(env).isEmpty()) {
        Assumptions.abort("the sandbox needs bwrap; install: apt-get install bubblewrap");
      }
      mode = SandboxMode.READ_ONLY;
    }
    host = HostProcess.start(workspace, mode, env, CommandHost.Spooling.DEFAULT,
        scope == Scope.NAMESPACE ? HostProcess.namespaceCommand() : List.of());
    return host;
  }

  private static CommandHost.Outcome run(HostProcess host, String script, Duration timeout)
      throws CommandHost.HostException {
    return host.run(script, Path.of("."), timeout, new HeadTailBuffer(4096, 4096));
  }

  private static String text(CommandHost.Outcome o) {
    return new String(o.output().head(), StandardCharsets.UTF_8);
  }

  /** A script that starts the escapes (all but the first {@code skip}) and waits until {@code others} more run. */
  private String escapes(int skip, int others) {
    StringBuilder script = new StringBuilder();
    for (int i = skip; i < ESCAPES.length; i++) {
      script.append(ESCAPES[i].formatted(marker)).append('\n');
    }
    return script.append(Marked.awaitStarted(marker, ESCAPES.length - skip + others))
        .append("\necho started\n")
        .toString();
  }

  private String escapes(int skip) {
    return escapes(skip, 0);
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(file)) {
      assertThat(System.nanoTime()).as(file + " never appeared").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void closedHostEndsItselfWithOrphansThatTookTheirOwnGroupAndRemovesItsFolder() throws Exception {
    HostProcess h = start();
    Path dir = h.folder();
    CommandHost.Outcome o = run(h, escapes(0), Duration.ofSeconds(30));
    assertThat(text(o)).isEqualTo("started\n");
    assertThat(Marked.alive(marker)).hasSize(ESCAPES.length);

    assertThat(h.close()).as("ended by itself").isTrue();

    assertThat(Marked.alive(marker)).isEmpty();
    assertThat(h.handle().isAlive()).isFalse();
    assertThat(Files.exists(dir)).as(dir + " removed").isFalse();
  }

  @Test
  void aHostThatIsGoneIsCleanedUpAfterAll() throws Exception {
    HostProcess h = start();
    Path dir = h.folder();
    run(h, escapes(0), Duration.ofSeconds(30));
    assertThat(Marked.alive(marker)).hasSize(ESCAPES.length);
    h.handle().destroyForcibly();

    assertThat(h.close()).as("ended by itself").isFalse();

    assertThat(Marked.alive(marker)).isEmpty();
    assertThat(Files.exists(dir)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Scope.class)
  void processesThatLeftACommandDieWithItAtItsTimeout(Scope scope) throws Exception {
    HostProcess h = start(scope);
    // a command of before, still running in its own group, and one that runs beside: neither is the timed-out one's
    CommandHost.Outcome before = run(h, "sleep " + marker + ".7 & echo before", Duration.ofSeconds(30));
    assertThat(text(before)).isEqualTo("before\n");
    CompletableFuture<CommandHost.Outcome> beside = CompletableFuture.supplyAsync(() -> {
      try {
        return run(h, "sleep " + marker + ".8; echo beside", Duration.ofSeconds(60));
      } catch (CommandHost.HostException e) {
        throw new IllegalStateException(e);
      }
    });
    // outside a namespace nothing finds an orphan that started a session of its own: that escape is left out there
    int skip = scope == Scope.SESSION ? 2 : 0;

    CommandHost.Outcome o = run(h, escapes(skip, 2) + "sleep " + marker + ".6", Duration.ofSeconds(3));

    assertThat(o.timedOut()).isTrue();
    assertThat(text(o)).isEqualTo("started\n");
    assertThat(Marked.alive(marker)).as("what is left of marker " + marker).hasSize(2);
    assertThat(beside).isNotDone();
    assertThat(run(h, "echo next", Duration.ofSeconds(30)).exitCode()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = Scope.class, names = {"NAMESPACE", "SANDBOX"})
  void processesThatLeftACommandDieWhenTheHostCloses(Scope scope) throws Exception {
    HostProcess h = start(scope);
    CommandHost.Outcome o = run(h, escapes(0), Duration.ofSeconds(30));
    assertThat(o.exitCode()).isZero();
    assertThat(Marked.alive(marker)).hasSize(ESCAPES.length);

    assertThat(h.close()).isTrue();

    assertThat(Marked.alive(marker)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Scope.class, names = {"NAMESPACE", "SANDBOX"})
  void forgedAndBrokenControlLinesChangeNothing(Scope scope) throws Exception {
    HostProcess h = start(scope);
    // the victim waits for the forger, then ends its own way
    CompletableFuture<CommandHost.Outcome> victim = CompletableFuture.supplyAsync(() -> {
      try {
        return run(h, "touch " + h.folder() + "/running; until [ -e " + h.folder() + "/forged ]; do sleep 0.01; done; "
            + "echo victim-finished; exit 7", Duration.ofSeconds(60));
      } catch (CommandHost.HostException e) {
        throw new IllegalStateException(e);
      }
    });
    // every pid is a possible group; every pipe of every process it may open, and the host's wake-up pipe, gets
    // `done`/`killed` lines for all of them and then a piece of a line without its end (read-write opens: a pipe
    // without a reader would block a write-only one)
    String forger = """
        trap '' PIPE
        dir=%s
        lines=
        for p in /proc/[0-9]*; do p=${p#/proc/}; lines+="done $p 0"$'\\n'"killed $p"$'\\n'"end $p"$'\\n'"$p"$'\\n'; done
        n=0
        for f in /proc/[0-9]*/fd/* "$dir/wake"; do
          [ -p "$f" ] || continue
          if { printf '%%s' "$lines" 1<>"$f"; printf '12' 1<>"$f"; } 2>/dev/null; then n=$((n+1)); fi
        done
        echo "wrote to $n"
        touch "$dir/forged"
        """.formatted(h.folder());
    awaitFile(h.folder().resolve("running"));
    CommandHost.Outcome forged = run(h, forger, Duration.ofSeconds(30));
    assertThat(text(forged)).as("the forger reached at least the wake-up pipe").containsPattern("wrote to [1-9]");

    CommandHost.Outcome outcome = victim.get(60, TimeUnit.SECONDS);

    assertThat(outcome.exitCode()).isEqualTo(7);
    assertThat(text(outcome)).isEqualTo("victim-finished\n");
    assertThat(run(h, "echo still here", Duration.ofSeconds(30)).exitCode()).isZero();
    assertThat(h.close()).as("the host still ends by itself").isTrue();
  }

  /**
   * Regression: hosts started together (runner batch) failed now and then with "Text file busy", as one thread's fork
   * held another's fresh bash copy open for writing; each such host then ran without its PID namespace.
   */
  @Test
  void hostsStartedTogetherAllGetTheirNamespace() throws Exception {
    if (HostProcess.namespaceCommand().isEmpty()) {
      Assumptions.abort("needs unshare; install: apt-get install util-linux");
    }
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
    List<CompletableFuture<Long>> pids = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      pids.add(CompletableFuture.supplyAsync(() -> {
        HostProcess h = null;
        try {
          h = HostProcess.start(workspace, SandboxMode.DANGER_FULL_ACCESS, env, CommandHost.Spooling.DEFAULT,
              HostProcess.namespaceCommand());
          return h.pid();
        } catch (CommandHost.HostException e) {
          throw new java.util.concurrent.CompletionException(e);
        } finally {
          if (h != null) {
            h.close();
          }
        }
      }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
    }
    assertThat(pids).hasSize(64);
    for (CompletableFuture<Long> pid : pids) {
      // the namespace's init sees itself as pid 1
      assertThat(pid.get(60, TimeUnit.SECONDS)).isEqualTo(1L);
    }
  }
}
