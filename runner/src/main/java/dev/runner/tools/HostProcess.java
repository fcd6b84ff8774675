package dev.runner.tools;

import dev.runner.files.TempFolders;
import dev.runner.logging.Log;
import dev.runner.tools.CommandHost.HostException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One running command host: the bash process (under bubblewrap when the sandbox is isolated), its
 * private folder, the control lines in both directions and the jobs in flight. A platform daemon
 * thread reads the host's lines; a scheduled one keeps output files small (see {@link
 * CommandHost.Spooling}) and removes the files of finished jobs. When the host dies, every job in
 * flight fails with the reason and whatever the host left behind is killed; {@link CommandHost}
 * then starts a new one for the next call.
 */
final class HostProcess {
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  /** How long the host gets to kill a timed-out job and report it. */
  static final Duration DRAIN = Duration.ofSeconds(2);
  /** How long a closed host gets to end its jobs and itself (it takes milliseconds) before it is killed. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private static final int ERROR_TAIL = 2000;
  private static final int TEXT_BUSY_ATTEMPTS = 4;
  private static final String CLOSED = "it was closed";
  private static final Log LOG = Log.of("tools");

  private final Process process;
  /** Starts every line the host sends; a command that cannot read it cannot forge one. */
  private final String nonce;
  private final long session;
  private final Path dir;
  private final OutputStream control;
  private final Object writeLock = new Object();
  private final Map<Long, HostJob> jobs = new ConcurrentHashMap<>();
  private final Map<Long, HostJob> groups = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final CompletableFuture<Long> ready = new CompletableFuture<>();
  private final ScheduledExecutorService watchdog;
  private final CommandHost.Spooling spooling;
  private volatile String death;

  private HostProcess(Process process, long session, Path dir, CommandHost.Spooling spooling, String nonce) {
    this.process = process;
    this.nonce = nonce;
    this.session = session;
    this.dir = dir;
    this.spooling = spooling;
    this.control = process.getOutputStream();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("command-host-watchdog-" + process.pid()).factory());
  }

  /** Starts a host that hides the default paths in the sandbox; see the other {@code start}. */
  static HostProcess start(
      Path workspace,
      SandboxMode mode,
      Map<String, String> environment,
      CommandHost.Spooling spooling,
      List<String> namespace)
      throws HostException {
    return start(workspace, mode, environment, spooling, new SandboxLauncher(SandboxPolicy.DEFAULT), namespace);
  }

  /**
   * Starts a host for {@code workspace} and waits until it is ready. Without a sandbox it runs
   * under {@code namespace}, the prefix that gives it a PID namespace of its own (see {@link
   * #namespaceCommand}), unless that is empty.
   *
   * @param environment the commands' environment, credentials already removed
   * @param launcher builds the bubblewrap command under an isolated {@code mode}
   * @throws HostException when bash or bwrap is missing or the host does not come up; {@link
   *     HostException#namespaceRefused()} when it was {@code unshare} that failed
   */
  static HostProcess start(
      Path workspace,
      SandboxMode mode,
      Map<String, String> environment,
      CommandHost.Spooling spooling,
      SandboxLauncher launcher,
      List<String> namespace)
      throws HostException {
    for (int attempt = 1;; attempt++) {
      try {
        return startOnce(workspace, mode, environment, spooling, launcher, namespace);
      } catch (HostException e) {
        // Another thread of this JVM that forks while the bash copy is being written holds it open for writing
        // until its child execs, and the exec of the copy then fails with ETXTBSY: only under concurrent starts
        // (runner batch), and gone on the next try.
        if (attempt == TEXT_BUSY_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("Text file busy")) {
          throw e;
        }
        LOG.debug(() -> "the command host's bash copy was busy, starting again: " + e.getMessage());
      }
    }
  }

  private static HostProcess startOnce(
      Path workspace,
      SandboxMode mode,
      Map<String, String> environment,
      CommandHost.Spooling spooling,
      SandboxLauncher launcher,
      List<String> namespace)
      throws HostException {
    Path root;
    try {
      root = workspace.toRealPath();
    } catch (IOException e) {
      throw HostException.cannotStart("workspace " + workspace + " cannot be resolved: " + e.getMessage());
    }
    Path bash = ProgramLocator.locate("bash", root, environment)
        .orElseThrow(() -> HostException.cannotStart("program not found: bash"));
    List<String> command = new ArrayList<>();
    Path dir = null;
    boolean unshared = false;
    try {
      // in TMPDIR (else /tmp), bound into the sandbox after its private /tmp so it is visible inside
      dir = TempFolders.createDirectory(
          "runner-host-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
          .toRealPath();
      Optional<Path> setsid = Optional.empty();
      if (mode.isolated()) {
        Path bwrap = Sandbox.locateBwrap(environment)
            .orElseThrow(() -> HostException.cannotStart(
                "sandbox " + mode.label() + " needs bwrap, which is not on PATH"));
        command.addAll(launcher.command(bwrap, mode, root, dir, environment, HostScript.install(bash, dir, "ns")));
      } else {
        // its own session, so everything it starts can be found and killed, even orphans
        setsid = systemProgram("setsid");
        setsid.ifPresent(p -> command.add(p.toString()));
        unshared = !namespace.isEmpty();
        command.addAll(namespace);
        command.addAll(HostScript.install(bash, dir, unshared ? "ns" : "session"));
      }
      // the host runs in its folder: workers find it there again (see command-host.sh)
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectError(dir.resolve("host.err").toFile());
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      // setsid execs its program in place, so the host (or unshare) leads a session with its own pid
      long session = setsid.isPresent() ? process.pid() : -1;
      HostProcess host = new HostProcess(process, session, dir, spooling, newNonce());
      host.begin();
      return host.awaitReady();
    } catch (IOException e) {
      removeFolder(dir);
      throw HostException.cannotStart(e.getMessage());
    } catch (HostException e) {
      removeFolder(dir);
      throw unshared && e.getMessage().contains("unshare:") ? HostException.namespaceRefused(e.getMessage()) : e;
    }
  }

  /**
   * The {@code unshare} prefix that gives the host a PID namespace of its own, with {@code /proc}
   * remounted to match, or nothing when unshare is missing. The host is the namespace's init: the
   * orphans of its commands become its children, a command cannot kill it, and when it ends the
   * kernel kills everything left inside, {@code setsid} or not; {@code --kill-child} ends it when
   * unshare is killed. Commands see only the run's own processes in {@code /proc} and their mounts
   * stay inside (outside mounts still reach them). Root needs no more; other users get a user
   * namespace that maps them to themselves: same uid and gid, files of other owners shown as
   * {@code nobody}, set-uid programs such as sudo without effect.
   */
  static List<String> namespaceCommand() {
    Optional<Path> unshare = systemProgram("unshare");
    if (unshare.isEmpty()) {
      return List.of();
    }
    List<String> argv = new ArrayList<>(List.of(
        unshare.get().toString(), "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave"));
    if (!isRoot()) {
      argv.add("--map-current-user");
    }
    return argv;
  }

  /** A helper of the host's own: never looked up in the commands' PATH, which the workspace may steer. */
  private static Optional<Path> systemProgram(String name) {
    return ProgramLocator.locate(name, Path.of("/"), Map.of("PATH", "/usr/bin:/bin"));
  }

  /** 128 random bits in hex, from the kernel (no SecureRandom set-up on the start path). */
  private static String newNonce() throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
      bytes = in.readNBytes(16);
    }
    if (bytes.length != 16) {
      throw new IOException("/dev/urandom gave " + bytes.length + " bytes");
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static boolean isRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void begin() {
    // the watchdog first: a host already gone (bwrap refused to start) ends the reader and the exit
    // callback at once, and their death shuts the watchdog down, which must not be scheduled after
    long period = spooling.period().toMillis();
    watchdog.scheduleWithFixedDelay(this::spool, period, period, TimeUnit.MILLISECONDS);
    Thread.ofPlatform()
        .daemon()
        .name("command-host-" + process.pid())
        .start(this::readControl);
    process.onExit().thenRun(() -> died("it exited with code " + process.exitValue()));
    try {
      // the first line, read before the host forks anything, so no command ever sees it pass
      send(nonce);
    } catch (HostException e) {
      // the host is gone already: awaitReady says why
    }
  }

  private HostProcess awaitReady() throws HostException {
    try {
      ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (ExecutionException e) {
      kill();
      throw HostException.cannotStart(e.getCause().getMessage());
    } catch (TimeoutException e) {
      String why = "it was not ready within " + START_TIMEOUT.toSeconds() + " s" + errorTail();
      kill();
      throw HostException.cannotStart(why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw HostException.cannotStart("interrupted");
    }
  }

  /** The host shell's pid as the host sees it ({@code $$} of every command). */
  long pid() {
    return ready.getNow(-1L);
  }

  /** The host's private folder. */
  Path folder() {
    return dir;
  }

  /** The process this JVM started: bwrap, setsid's program (unshare or bash) or bash. */
  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean alive() {
    return death == null && process.isAlive();
  }

  /**
   * Runs {@code script} in {@code cwd} and waits at most {@code timeout}; after that the job's
   * process group is killed and the outcome says it timed out, as it does when the calling thread
   * is interrupted.
   *
   * @throws HostException when the host dies before the job ends
   */
  CommandHost.Outcome run(String script, Path cwd, Duration timeout, HeadTailBuffer buffer)
      throws HostException {
    HostJob job;
    try {
      job = HostJob.create(dir, ids.incrementAndGet(), cwd, script, buffer);
    } catch (IOException e) {
      throw HostException.lost("cannot hand the command to the host: " + e.getMessage());
    }
    jobs.put(job.id(), job);
    long start = System.nanoTime();
    try {
      failIfDead();
      send("run " + job.id());
      boolean timedOut = false;
      int status = -1;
      try {
        status = job.done.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        timedOut = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        timedOut = true;
      } catch (ExecutionException e) {
        throw (HostException) e.getCause();
      }
      if (timedOut) {
        stop(job);
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      // file channels close themselves when an interrupted thread reads, so read with the flag off
      boolean interrupted = Thread.interrupted();
      try {
        job.finish();
      } catch (IOException e) {
        LOG.debug(() -> "output of job " + job.id() + " partly unreadable: " + e.getMessage());
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return new CommandHost.Outcome(timedOut ? -1 : status, timedOut, buffer.snapshot(), wall);
    } finally {
      jobs.remove(job.id());
      Long group = job.group();
      if (group != null) {
        groups.remove(group);
      }
      // file removal is slow enough here to be worth taking off the call's path
      try {
        watchdog.execute(job::discard);
      } catch (RejectedExecutionException e) {
        job.discard();
      }
    }
  }

  /** Kills a job's process group through the host and waits, bounded, until it is gone. */
  private void stop(HostJob job) {
    job.abandoned = true;
    Long group = Waits.quietly(job.started, DRAIN);
    if (group == null || death != null) {
      // not started yet: the reader kills it if it ever starts
      return;
    }
    try {
      send("kill " + group);
    } catch (HostException e) {
      return;
    }
    Waits.quietly(job.killed, DRAIN);
    Waits.quietly(job.done, DRAIN);
  }

  private void failIfDead() throws HostException {
    String why = death;
    if (why != null) {
      throw HostException.lost(why);
    }
  }

  private void send(String line) throws HostException {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
    synchronized (writeLock) {
      try {
        control.write(bytes);
        control.flush();
      } catch (IOException e) {
        died("its input closed: " + e.getMessage());
        failIfDead();
      }
    }
  }

  private void readControl() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        handle(line);
      }
    } catch (IOException e) {
      // the stream was closed by a kill: treated as the end of the host below
    }
    died("its output ended");
  }

  /**
   * Acts on one line from the host. Only what follows the session's nonce counts (the last one in
   * the line, so that a stray piece written before a real line does not hide it); lines without it
   * and lines about jobs or groups this host does not run are dropped.
   */
  private void handle(String line) {
    int at = line.lastIndexOf(nonce);
    if (at < 0) {
      LOG.debug(() -> "line without the session's nonce from the command host: " + line);
      return;
    }
    String[] words = line.substring(at + nonce.length()).strip().split(" ");
    try {
      switch (words[0]) {
        case "ready" -> ready(Long.parseLong(words[1]));
        case "started" -> started(Long.parseLong(words[1]), Long.parseLong(words[2]));
        case "done" -> withGroup(words[1], job -> job.done.complete(Integer.parseInt(words[2])));
        case "killed" -> withGroup(words[1], job -> job.killed.complete(null));
        default -> LOG.debug(() -> "command host said: " + line.substring(at + nonce.length()));
      }
    } catch (RuntimeException e) {
      LOG.debug(() -> "unreadable line from the command host: " + line.substring(at + nonce.length()));
    }
  }

  /** The host is up: its wake-up pipe becomes write-only before any command can run. */
  private void ready(long pid) {
    try {
      Files.setPosixFilePermissions(dir.resolve("wake"), PosixFilePermissions.fromString("-w-------"));
      ready.complete(pid);
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(HostException.cannotStart("cannot protect " + dir.resolve("wake") + ": " + e));
    }
  }

  private void started(long id, long group) {
    HostJob job = jobs.get(id);
    if (job == null) {
      return;
    }
    groups.put(group, job);
    job.started.complete(group);
    if (job.abandoned) {
      try {
        send("kill " + group);
      } catch (HostException e) {
        // the host is gone, and the job with it
      }
    }
  }

  private void withGroup(String group, java.util.function.Consumer<HostJob> action) {
    HostJob job = groups.get(Long.parseLong(group));
    if (job != null) {
      action.accept(job);
    }
  }

  private void spool() {
    for (HostJob job : jobs.values()) {
      try {
        job.spoolIfLarger(spooling.cap());
      } catch (IOException e) {
        LOG.debug(() -> "cannot spool the output of job " + job.id() + ": " + e.getMessage());
      }
    }
  }

  /** Marks the host dead (once), fails the jobs in flight and kills whatever is left of it. */
  private void died(String why) {
    if (markDead(why)) {
      ProcessTree.kill(process.toHandle(), session);
    }
  }

  /**
   * Records why the host ended (with its error output, unless it was closed) and fails the jobs in flight; true for
   * the one call that did.
   */
  private boolean markDead(String why) {
    boolean closing = CLOSED.equals(why);
    synchronized (this) {
      if (death != null) {
        return false;
      }
      death = "the command host ended: " + why + (closing ? "" : errorTail());
    }
    LOG.debug(() -> death);
    HostException failure = HostException.lost(death);
    ready.completeExceptionally(failure);
    for (HostJob job : jobs.values()) {
      job.started.completeExceptionally(failure);
      job.done.completeExceptionally(failure);
      job.killed.completeExceptionally(failure);
    }
    watchdog.shutdownNow();
    return true;
  }

  /**
   * Ends the host with everything it started and removes its folder. Safe to call twice. First by asking: on {@code
   * close} the host kills every job's group and what else is left in its session and exits (command-host.sh), in
   * bash, where the same from here means scanning /proc in a JVM that runs that code interpreted, at the end of every
   * run. A host that does not end so within {@link #GRACE}, or was dead already,
   * is killed with its tree.
   *
   * @return true when the host ended itself, false when it had to be killed
   */
  boolean close() {
    long start = System.nanoTime();
    // a running command's child that started a session of its own is found only through the tree, and only while its
    // parent lives: listed before the host ends the command (finished commands have no parent left to follow)
    List<ProcessHandle> tree = jobs.isEmpty() || !process.isAlive() ? List.of() : process.descendants().toList();
    if (markDead(CLOSED) && ask("close") && Waits.quietly(process.onExit(), GRACE) != null
        && process.exitValue() == 0) {
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      removeFolder(dir);
      LOG.debug(() -> "the command host ended itself in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      return true;
    }
    kill();
    return false;
  }

  /** Sends {@code line} as the last message and closes the host's input. */
  private boolean ask(String line) {
    synchronized (writeLock) {
      try (OutputStream out = control) {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** Kills the host with its tree and session, waits (bounded) for its end and removes its folder. */
  private void kill() {
    markDead("it was killed");
    ProcessTree.kill(process.toHandle(), session);
    Waits.quietly(process.onExit(), DRAIN);
    removeFolder(dir);
  }

  private String errorTail() {
    try {
      String text = Files.readString(dir.resolve("host.err"), StandardCharsets.UTF_8).strip();
      if (text.length() > ERROR_TAIL) {
        text = "…" + text.substring(text.length() - ERROR_TAIL);
      }
      return text.isEmpty() ? "" : " (" + text + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void removeFolder(Path dir) {
    // a job's discard on the watchdog, or a worker on its way out, may remove or add a file while this walks (a file
    // gone mid-walk ends the walk): walk again until the folder is gone, a few times at most
    for (int attempt = 1; attempt <= 5 && dir != null && Files.exists(dir, LinkOption.NOFOLLOW_LINKS); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        int tried = attempt;
        LOG.debug(() -> "cannot remove " + dir + " yet (try " + tried + "): " + e.getMessage());
      }
    }
  }
}
