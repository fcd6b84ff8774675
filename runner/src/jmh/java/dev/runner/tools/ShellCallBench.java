package dev.runner.tools;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code shell} call of the scripted benchmark, {@code echo step 1}, with the sandbox off and on:
 * through the session's command host ({@link #hostCall}) and, for comparison, the way it ran before
 * the host: a process per call, {@code setsid bash -c} or {@code bwrap ... -- bash -c}, its output
 * read by a thread of its own ({@link #spawnPerCall}). {@link #firstCall} is a run's first call on a
 * host that was not warmed up (start included). Process work is noisy, hence sample time; the
 * pause between calls is not measured.
 *
 * <pre>ci/bench/jmh.sh ShellCallBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShellCallBench {
  @Param({"danger-full-access", "workspace-write"})
  public String sandbox;

  /**
   * A pause before each call, outside the measurement: 0 is back to back, 5 a fast model turn,
   * during which the host forks its next job (it does so at once when a request waits).
   */
  @Param({"0", "5"})
  public long pauseMs;

  private final ShellTool shell = new ShellTool();
  private final ToolCall call = new ToolCall("call_1", "shell", "{\"command\":\"echo step 1\"}");
  private Path workspace;
  private SandboxMode mode;
  private Map<String, String> environment;
  private ToolContext context;
  private List<String> spawnArgv;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    workspace = Files.createTempDirectory("shell-bench").toRealPath();
    mode = SandboxMode.fromLabel(sandbox).orElseThrow();
    environment = new HashMap<>();
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("LANG", "C.UTF-8");
    context = ToolContext.of(workspace, mode, environment, Duration.ofHours(1));
    List<String> command = List.of("bash", "-c", "echo step 1");
    if (mode.isolated()) {
      Path bwrap = Sandbox.locateBwrap(environment).orElseThrow();
      spawnArgv = BwrapCommand.wrap(bwrap, mode, workspace, workspace, List.of(), command);
    } else {
      spawnArgv = new ArrayList<>(List.of("/usr/bin/setsid"));
      spawnArgv.addAll(command);
    }
  }

  @Setup(Level.Invocation)
  public void pause() throws InterruptedException {
    if (pauseMs > 0) {
      Thread.sleep(pauseMs);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    context.close();
    try (Stream<Path> paths = Files.walk(workspace)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ToolResult hostCall() {
    return check(shell.run(call, context));
  }

  @Benchmark
  public ToolResult firstCall() {
    try (ToolContext fresh = ToolContext.of(workspace, mode, environment, Duration.ofHours(1))) {
      return check(shell.run(call, fresh));
    }
  }

  @Benchmark
  public int spawnPerCall() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(spawnArgv)
        .directory(workspace.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    byte[][] output = new byte[1][];
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (InputStream in = process.getInputStream()) {
        output[0] = in.readAllBytes();
      } catch (IOException e) {
        output[0] = new byte[0];
      }
    });
    if (!process.waitFor(30, TimeUnit.SECONDS) || !reader.join(Duration.ofSeconds(30))) {
      throw new IllegalStateException("spawned command hung");
    }
    if (process.exitValue() != 0 || output[0].length != 7) {
      throw new IllegalStateException("spawned command failed: " + process.exitValue());
    }
    return process.exitValue();
  }

  private static ToolResult check(ToolResult result) {
    if (!result.success() || !result.output().endsWith("\nstep 1\n")) {
      throw new IllegalStateException("call failed: " + result.output());
    }
    return result;
  }
}
