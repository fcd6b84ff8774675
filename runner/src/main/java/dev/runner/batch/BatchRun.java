package dev.runner.batch;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.ToolContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a checked task list: picks this shard's tasks, skips those the results file already finished ({@code
 * --resume}), runs the rest {@code concurrency} at a time over shared transports, appends each result as it ends, and
 * writes the JUnit report and the summary. Returns the batch's exit code ({@link BatchExit}).
 */
public final class BatchRun {
  /** After the batch deadline, how long running tasks get to notice it (their waits are bounded by it). */
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final BatchOptions options;
  private final Connector connector;
  private final PrintWriter err;
  private final Clock clock;
  private final Set<ToolContext> running = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong hostsStarted = new java.util.concurrent.atomic.AtomicLong();

  public BatchRun(BatchOptions options, Connector connector, PrintWriter err, Clock clock) {
    this.options = options;
    this.connector = connector;
    this.err = err;
    this.clock = clock;
  }

  public ExitCode run(List<BatchTask> all) {
    List<BatchTask> selected = all.stream().filter(t -> options.shard().selects(t.id())).toList();
    checkWorkspaces(selected);
    long start = System.nanoTime();
    Instant batchDeadline = options.deadline() == null ? null : clock.instant().plus(options.deadline());
    Map<String, TaskResult> finals = new ConcurrentHashMap<>();
    List<TaskResult> ran = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean deadlineHit = new AtomicBoolean();
    try (ResultsFile results = ResultsFile.open(options.results(), options.resume())) {
      if (results.droppedTornLine() && !options.quiet()) {
        err.println("runner: dropped a torn last line from " + results.path() + " (the run that wrote it was killed)");
      }
      List<BatchTask> todo = new ArrayList<>();
      int skipped = 0;
      for (BatchTask t : selected) {
        TaskResult before = results.previous().get(t.id());
        boolean retry = options.retryFailed() > 0 && before != null && before.retryable();
        if (before != null && before.status().terminal() && !retry) {
          finals.put(t.id(), before);
          skipped++;
        } else {
          todo.add(t);
        }
      }
      if (!options.quiet() && options.shard().count() > 1) {
        err.println("runner: shard " + options.shard() + ": " + selected.size() + " of " + all.size() + " tasks");
      }
      Thread hook = new Thread(this::stopRunningTools, "runner-batch-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      try (SharedTransports transports = new SharedTransports(connector)) {
        runAll(todo, transports, results, batchDeadline, finals, ran, deadlineHit);
        BatchMetrics metrics = BatchMetrics.of(List.copyOf(ran), skipped, (System.nanoTime() - start) / 1e9,
            transports, hostsStarted.get());
        if (options.metrics() != null) {
          writeMetrics(metrics);
        }
        if (!options.quiet() && !todo.isEmpty()) {
          BatchSummary.print(err, metrics);
        } else if (!options.quiet()) {
          err.println("runner: nothing to run: all " + skipped + " tasks of " + options.results()
              + " are done");
        }
      } finally {
        removeHook(hook);
      }
    }
    List<TaskResult> ordered = new ArrayList<>();
    for (BatchTask t : selected) {
      TaskResult r = finals.get(t.id());
      ordered.add(r != null ? r : TaskResult.cancelled(t.id(), "not run"));
    }
    if (options.junit() != null) {
      try {
        JunitXml.write(options.junit(), "runner batch", ordered);
      } catch (IOException e) {
        throw RunnerException.usage("cannot write --junit " + options.junit() + ": " + e.getMessage(),
            "check the folder exists and is writable");
      }
    }
    return BatchExit.of(ordered, deadlineHit.get());
  }

  private void runAll(List<BatchTask> todo, SharedTransports transports, ResultsFile results, Instant batchDeadline,
      Map<String, TaskResult> finals, List<TaskResult> ran, AtomicBoolean deadlineHit) {
    if (todo.isEmpty()) {
      // nothing to run, yet what a killed run left is cleaned here too
      ScratchSpace.cleanStale(ScratchSpace.defaultParent());
      return;
    }
    Path patchDir = options.results().toAbsolutePath().getParent();
    ScratchSpace scratch;
    try {
      scratch = ScratchSpace.open(ScratchSpace.defaultParent());
    } catch (IOException e) {
      throw RunnerException.usage("cannot make a scratch folder for the workspaces under "
          + ScratchSpace.defaultParent() + ": " + e.getMessage(),
          "check that java.io.tmpdir (-Djava.io.tmpdir, default /tmp) is a writable folder with space");
    }
    TaskRun taskRun = new TaskRun(transports, options.workspace(), scratch, patchDir, options.env(), clock,
        running::add, running::remove, hostsStarted, options.strictConfig());
    BatchProgress progress = options.quiet()
        ? null
        : new BatchProgress(err, todo.size(), System::nanoTime, options.live());
    ScheduledExecutorService ticker = progress == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "runner-batch-progress");
      t.setDaemon(true);
      return t;
    });
    if (ticker != null) {
      ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(),
        r -> new Thread(r, "runner-batch-task-" + threads.incrementAndGet()));
    Semaphore slots = new Semaphore(options.concurrency());
    AtomicReference<String> stop = new AtomicReference<>();
    OutageDetector outage = new OutageDetector(options.outageThreshold());
    try {
      for (BatchTask task : todo) {
        String why = acquire(slots, batchDeadline, stop);
        if (why != null) {
          if (why.contains("--deadline")) {
            deadlineHit.set(true);
          }
          record(TaskResult.cancelled(task.id(), why), results, finals, ran, progress);
          continue;
        }
        pool.execute(() -> {
          try {
            TaskResult r = attempts(taskRun, task, batchDeadline, stop, results.previous().get(task.id()));
            if (r.status() == TaskStatus.CANCELLED) {
              deadlineHit.set(true);
            } else if (r.status() != TaskStatus.OK && options.failFast()) {
              stop.compareAndSet(null, "--fail-fast: an earlier task was not ok");
            }
            String down = outage.observe(r);
            if (down != null && stop.compareAndSet(null, "not started: " + down)) {
              if (progress != null) {
                progress.say("runner: stopping: " + down);
              } else {
                err.println("runner: stopping: " + down);
              }
            }
            record(r, results, finals, ran, progress);
          } finally {
            slots.release();
          }
        });
      }
    } finally {
      pool.shutdown();
      awaitAll(pool, todo, batchDeadline);
      if (ticker != null) {
        ticker.shutdownNow();
      }
      if (progress != null) {
        progress.end();
      }
      scratch.close();
    }
  }

  /**
   * Runs {@code task}, and again while it fails or times out and {@code --retry-failed} allows, unless the batch is
   * stopping. Attempts count on from an earlier run's line ({@code before}).
   */
  private TaskResult attempts(TaskRun taskRun, BatchTask task, Instant batchDeadline, AtomicReference<String> stop,
      TaskResult before) {
    int earlier = before != null && before.retryable() ? before.attempts() : 0;
    TaskResult r = taskRun.run(task, batchDeadline);
    int attempts = 1;
    while (r.retryable() && attempts <= options.retryFailed() && stop.get() == null
        && (batchDeadline == null || clock.instant().isBefore(batchDeadline))) {
      r = taskRun.run(task, batchDeadline);
      attempts++;
    }
    return r.withAttempts(earlier + attempts);
  }

  private void writeMetrics(BatchMetrics metrics) {
    try {
      metrics.write(options.metrics(), options.metricsFormat());
    } catch (IOException e) {
      err.println("runner: warning: cannot write --metrics " + options.metrics() + ": " + e.getMessage());
    }
  }

  /** Waits for a free slot; returns why the next task must not start, or null when it may. */
  private String acquire(Semaphore slots, Instant batchDeadline, AtomicReference<String> stop) {
    try {
      while (true) {
        if (stop.get() != null) {
          return stop.get();
        }
        if (batchDeadline != null && !clock.instant().isBefore(batchDeadline)) {
          return "the batch's --deadline passed before it started";
        }
        // short polls so that a fail-fast stop or the deadline is seen while every slot is busy
        if (slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          if (stop.get() != null || batchDeadline != null && !clock.instant().isBefore(batchDeadline)) {
            slots.release();
            continue;
          }
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the batch was interrupted";
    }
  }

  private void awaitAll(ExecutorService pool, List<BatchTask> todo, Instant batchDeadline) {
    Duration longest = todo.stream().map(BatchTask::timeout).max(Duration::compareTo).orElse(Duration.ZERO);
    Instant limit = clock.instant().plus(longest).plus(DRAIN);
    if (batchDeadline != null && batchDeadline.plus(DRAIN).isBefore(limit)) {
      limit = batchDeadline.plus(DRAIN);
    }
    try {
      long millis = Math.max(1, Duration.between(clock.instant(), limit).toMillis());
      if (!pool.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        err.println("runner: warning: tasks still running past their deadlines; their results are not written");
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void record(TaskResult r, ResultsFile results, Map<String, TaskResult> finals, List<TaskResult> ran,
      BatchProgress progress) {
    results.append(r);
    finals.merge(r.id(), r, ResultsFile::merge);
    ran.add(r);
    if (progress != null) {
      progress.finished(r.status(), r.timing().turns());
    }
  }

  /** {@code --workspace shared} lets tasks see each other's writes: only read-only tasks may share. */
  private void checkWorkspaces(List<BatchTask> tasks) {
    if (options.workspace() != WorkspaceMode.SHARED) {
      if (options.workspace() == WorkspaceMode.WORKTREE) {
        List<String> outside = tasks.stream().filter(t -> !WorkspaceMode.insideGitRepository(t.cwd()))
            .map(t -> "line " + t.line() + " (" + t.id() + "): " + t.cwd()).limit(TaskFile.MAX_REPORTED).toList();
        if (!outside.isEmpty()) {
          throw RunnerException.usage("--workspace worktree needs a git repository, but these tasks' cwd is not in"
              + " one:\n  " + String.join("\n  ", outside), "use --workspace copy, or run them inside a repository");
        }
      }
      return;
    }
    Map<String, String> writers = new LinkedHashMap<>();
    for (BatchTask t : tasks) {
      if (t.sandbox() != SandboxMode.READ_ONLY) {
        writers.put("line " + t.line() + " (" + t.id() + ")", t.sandbox().label());
      }
    }
    if (!writers.isEmpty()) {
      throw RunnerException.usage("--workspace shared needs the read-only sandbox, but " + writers.size()
          + " task(s) may write: " + writers.entrySet().stream().limit(TaskFile.MAX_REPORTED)
              .map(e -> e.getKey() + " " + e.getValue()).toList(),
          "use --workspace worktree or copy (the default) so writing tasks cannot collide, or -s read-only");
    }
  }

  /** On SIGINT/SIGTERM: the command hosts run in sessions of their own and would outlive the JVM. */
  private void stopRunningTools() {
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    running.forEach(ToolContext::close);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }
}
