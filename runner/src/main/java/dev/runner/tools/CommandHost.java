package dev.runner.tools;

import dev.runner.environment.ToolEnvironment;
import dev.runner.logging.Log;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shell commands of one run, executed by one long-lived {@code bash} (started under a single
 * bubblewrap when the sandbox is isolated) that runs each command in a forked job. Spawning a
 * process from the JVM, then bash and bwrap, per call costs many times more; the host forks its next job
 * ahead of the request, so a call costs a few pipe messages and file operations (see {@code
 * command-host.sh} for how, and for what a command sees: the state of {@code bash -c} with its
 * credentials removed, except that {@code $$} is the host's pid, as in any subshell).
 *
 * <p>The host starts on the first call or in the background through {@link #warmUp()}. If it dies,
 * the calls in flight fail with the reason and the next call starts a new one. {@link #close()}
 * ends it with every process it started, including leftovers of finished commands, and removes its
 * private folder; if the JVM dies instead, the host sees its input end and kills its jobs itself
 * (under bubblewrap {@code --die-with-parent} ends the sandbox too).
 *
 * <p>Where commands run: without a sandbox the host is the init of a PID namespace of its own
 * ({@code unshare}; where that is refused, a session of its own, said once on stderr), under
 * bubblewrap in the sandbox's. So a command cannot kill its host without the sandbox, and what it
 * leaves behind, {@code setsid} or not, ends with the run; at a command's timeout its group, its
 * descendants and the orphans that left it go (see {@code command-host.sh}).
 *
 * <p>Protocol, one line per message. Runner to host: first a nonce (128 random bits in hex), then
 * {@code run ID} (the command is in the job file {@code DIR/ID.sh}, see {@link HostScript}), {@code
 * kill PGID}, and last {@code close}, on which the host ends its jobs and itself (exit status 0
 * once nothing is left). Host to runner, each line after the nonce: {@code ready PID}, {@code
 * started ID PGID}, {@code done PGID STATUS}, {@code killed PGID}; lines without the nonce, or
 * about groups of no job in flight, are dropped, so a command that writes into the host's pipes
 * forges nothing. Workers tell the host through the FIFO {@code DIR/wake}. Output goes to {@code
 * DIR/ID.out}; see {@link HostJob}. Ids and pids are as the host sees them (pids inside its PID
 * namespace differ from ours, so the host does the killing).
 *
 * <p>Thread-safe: the calls of one turn run at the same time, each in its own job.
 */
public final class CommandHost implements AutoCloseable {
  private static final Log LOG = Log.of("tools");

  private final Path workspace;
  private final SandboxMode sandbox;
  private final ToolEnvironment environment;
  private final Spooling spooling;
  private final SandboxLauncher launcher;
  private final SandboxPolicy policy;
  /**
   * Starts every host of this object from one thread that lives as long as it does: bubblewrap's
   * {@code --die-with-parent} asks for the kernel's parent-death signal, which follows the thread that started the
   * process, not the JVM, so a sandboxed host started from a short-lived thread (the warm-up's) was killed as that
   * thread ended and the first call had to start another.
   */
  private final ExecutorService spawner = Executors
      .newSingleThreadExecutor(Thread.ofPlatform().daemon().name("command-host-spawner").factory());
  private final Object lock = new Object();
  private HostProcess current;
  private CompletableFuture<HostProcess> starting;
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
  /** The prefix that gives the host a PID namespace; empty under a sandbox and once unshare was refused here. */
  private volatile List<String> namespace;

  /**
   * A host for commands in {@code workspace} under {@code sandbox}, with {@code environment} (already through the
   * secret rule, see {@link ToolEnvironment}). Nothing starts until the first call or {@link #warmUp()}.
   */
  public CommandHost(Path workspace, SandboxMode sandbox, ToolEnvironment environment) {
    this(workspace, sandbox, environment, SandboxPolicy.DEFAULT);
  }

  /** Like {@link #CommandHost(Path, SandboxMode, ToolEnvironment)}, hiding what {@code policy} says in the sandbox. */
  public CommandHost(Path workspace, SandboxMode sandbox, ToolEnvironment environment, SandboxPolicy policy) {
    this(workspace, sandbox, environment, Spooling.DEFAULT, policy, null);
  }

  CommandHost(
      Path workspace, SandboxMode sandbox, ToolEnvironment environment, Spooling spooling) {
    this(workspace, sandbox, environment, spooling, SandboxPolicy.DEFAULT, null);
  }

  /** With {@code namespace} instead of {@link HostProcess#namespaceCommand()} (null), to try another prefix. */
  CommandHost(
      Path workspace, SandboxMode sandbox, ToolEnvironment environment, Spooling spooling, List<String> namespace) {
    this(workspace, sandbox, environment, spooling, SandboxPolicy.DEFAULT, namespace);
  }

  private CommandHost(
      Path workspace,
      SandboxMode sandbox,
      ToolEnvironment environment,
      Spooling spooling,
      SandboxPolicy policy,
      List<String> namespace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.spooling = Objects.requireNonNull(spooling, "spooling");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.launcher = new SandboxLauncher(policy);
    this.namespace = sandbox.isolated() ? List.of() : namespace;
  }

  /** What the sandbox hides and, under workspace-write, which more folders it lets commands write. */
  public SandboxPolicy policy() {
    return policy;
  }

  /** How many host processes this object started (a host that died is started again at the next call). */
  public int starts() {
    return starts.get();
  }

  /** True when this host serves exactly this workspace, sandbox and environment. */
  boolean serves(Path otherWorkspace, SandboxMode otherSandbox, ToolEnvironment otherEnvironment) {
    return workspace.equals(otherWorkspace.toAbsolutePath().normalize())
        && sandbox == otherSandbox
        && environment.equals(otherEnvironment);
  }

  /**
   * Starts the host on a background thread, so that its spawn overlaps the run's start-up. The
   * result completes once the host is ready, or exceptionally with why it could not start; a caller
   * that does not wait for it leaves a failure to the first call, which starts the host again.
   */
  public CompletableFuture<Void> warmUp() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    // a platform thread: the start blocks in the JDK's process spawn, where a virtual thread pins its carrier and
    // the scheduler adds another (three threads started instead of one)
    Thread.ofPlatform().daemon().name("command-host-start").start(() -> {
      try {
        host();
        ready.complete(null);
      } catch (HostException | RuntimeException e) {
        LOG.debug(() -> "command host warm-up failed: " + e.getMessage());
        ready.completeExceptionally(e);
      }
    });
    return ready;
  }

  /**
   * Runs {@code script} (bash source) in {@code cwd}; see {@link HostProcess#run}.
   *
   * @throws HostException when the host cannot start or dies while the command runs
   */
  Outcome run(String script, Path cwd, Duration timeout, HeadTailBuffer buffer) throws HostException {
    return host().run(script, cwd, timeout, buffer);
  }

  /** The host shell's pid as its commands see it in {@code $$}, starting the host if needed. */
  long pid() throws HostException {
    return host().pid();
  }

  /** The process of the running host, if one runs. */
  Optional<ProcessHandle> process() {
    synchronized (lock) {
      return current == null ? Optional.empty() : Optional.of(current.handle());
    }
  }

  /** The running host, started (or restarted after a death) on demand; concurrent callers share one start. */
  private HostProcess host() throws HostException {
    CompletableFuture<HostProcess> pending;
    boolean mine = false;
    HostProcess dead = null;
    synchronized (lock) {
      if (closed) {
        throw HostException.cannotStart("the command host is closed: the run has ended");
      }
      if (current != null && current.alive()) {
        return current;
      }
      dead = current;
      current = null;
      if (starting == null) {
        starting = new CompletableFuture<>();
        mine = true;
      }
      pending = starting;
    }
    if (dead != null) {
      dead.close();
    }
    if (mine) {
      return launch(pending);
    }
    try {
      return pending.get(HostProcess.START_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (HostException) e.getCause();
    } catch (TimeoutException e) {
      throw HostException.cannotStart("another call's start of the command host did not finish");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HostException.cannotStart("interrupted while the command host started");
    }
  }

  private HostProcess launch(CompletableFuture<HostProcess> pending) throws HostException {
    HostProcess started;
    try {
      started = startHost();
    } catch (HostException e) {
      synchronized (lock) {
        starting = null;
      }
      pending.completeExceptionally(e);
      throw e;
    }
    starts.incrementAndGet();
    boolean keep;
    synchronized (lock) {
      starting = null;
      keep = !closed;
      if (keep) {
        current = started;
      }
    }
    if (!keep) {
      started.close();
      HostException e = HostException.cannotStart("the command host is closed: the run has ended");
      pending.completeExceptionally(e);
      throw e;
    }
    pending.complete(started);
    return started;
  }

  /**
   * Starts a host, in a PID namespace of its own unless the sandbox gives it one or unshare was refused here before:
   * then without, said once per run on stderr, since commands that leave their session can outlive a timeout and the
   * run then.
   */
  private HostProcess startHost() throws HostException {
    Future<HostProcess> start;
    try {
      start = spawner.submit(this::startHostHere);
    } catch (RejectedExecutionException e) {
      throw HostException.cannotStart("the command host is closed: the run has ended");
    }
    try {
      return start.get(HostProcess.START_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HostException h) {
        throw h;
      }
      throw HostException.cannotStart(String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      start.cancel(true);
      throw HostException
          .cannotStart("the command host did not start within " + HostProcess.START_TIMEOUT.multipliedBy(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HostException.cannotStart("interrupted while the command host started");
    }
  }

  private HostProcess startHostHere() throws HostException {
    List<String> prefix = namespace;
    if (prefix == null) {
      prefix = HostProcess.namespaceCommand();
      namespace = prefix;
      if (prefix.isEmpty()) {
        warnNoNamespace("unshare was not found in /usr/bin or /bin");
      }
    }
    if (prefix.isEmpty()) {
      return HostProcess.start(workspace, sandbox, environment.variables(), spooling, launcher, List.of());
    }
    try {
      return HostProcess.start(workspace, sandbox, environment.variables(), spooling, launcher, prefix);
    } catch (HostException e) {
      if (!e.namespaceRefused()) {
        throw e;
      }
      namespace = List.of();
      warnNoNamespace(e.getMessage());
      return HostProcess.start(workspace, sandbox, environment.variables(), spooling, launcher, List.of());
    }
  }

  private static void warnNoNamespace(String why) {
    LOG.warn("the command host runs without a PID namespace of its own (" + why + "): a command's processes that "
        + "start a session of their own (setsid) can outlive its timeout and the run; run as root, allow "
        + "unprivileged user namespaces, or use a sandbox mode to contain them");
  }

  /** Kills the host with everything it started and removes its folder. Idempotent, thread-safe. */
  @Override
  public void close() {
    HostProcess running;
    synchronized (lock) {
      closed = true;
      running = current;
      current = null;
    }
    if (running != null) {
      running.close();
    }
    // after the host is gone: its sandbox dies with this thread
    spawner.shutdown();
  }

  /**
   * What a command did.
   *
   * @param exitCode the exit status (128 + n after signal n), or -1 when it timed out
   * @param timedOut true when the timeout (or an interrupt) ended it
   * @param output the kept output, stdout and stderr merged in arrival order
   * @param wallTime from the request to the end of the command
   */
  record Outcome(int exitCode, boolean timedOut, HeadTailBuffer.Snapshot output, Duration wallTime) {}

  /**
   * How output files are kept small on disk: every {@code period} a file past {@code cap} bytes is
   * moved into memory and emptied.
   */
  record Spooling(long cap, Duration period) {
    static final Spooling DEFAULT = new Spooling(8L << 20, Duration.ofMillis(250));
  }

  /** The host could not run a command. */
  static final class HostException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean started;
    private final boolean namespaceRefused;

    private HostException(String message, boolean started, boolean namespaceRefused) {
      super(message);
      this.started = started;
      this.namespaceRefused = namespaceRefused;
    }

    /** The host did not start, so the command never ran. */
    static HostException cannotStart(String why) {
      return new HostException("cannot start the command host: " + why, false, false);
    }

    /** {@code unshare} could not give the host a PID namespace here; the host did not start. */
    static HostException namespaceRefused(String why) {
      return new HostException(why, false, true);
    }

    /** The host was lost (or could not take the command) while it was running. */
    static HostException lost(String why) {
      return new HostException(why, true, false);
    }

    /** True when the start failed because unshare was refused: a start without it may work. */
    boolean namespaceRefused() {
      return namespaceRefused;
    }

    /** True when the host had started: the command may have run in part. */
    boolean hostStarted() {
      return started;
    }
  }
}
