package dev.runner.mcp;

import dev.runner.RunnerException;
import dev.runner.config.McpServerConfig;
import dev.runner.logging.Log;
import dev.runner.tools.Tool;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The run's MCP servers. {@link #start} starts every enabled server at once, each on a thread of its own, and returns
 * at once; {@link #tools} waits for them (each at most its {@code startup_timeout_sec} from the start) and gives the
 * tools of those that came up. A server that fails or times out is reported once through the warning callback and
 * left out (with {@code --strict-config} the run fails with exit 2 instead). {@link #close} stops them all, on every
 * exit path: it is idempotent, and a shutdown hook kills the stdio servers' sessions if the JVM exits on a signal
 * first.
 *
 * <p>{@code runner batch} starts the servers once per task, not once per batch: a stdio server runs in the task's own
 * workspace under the task's sandbox (a filesystem or git server bound to one task's checkout must not serve another
 * task), and servers keep per-session state (the MCP session of a streamable HTTP server, resources a server makes for
 * its session) that would leak from one task to the next. No server says whether it is stateless, so none is shared;
 * the start overlaps the task's first request.
 */
public final class McpServers implements AutoCloseable {
  private static final Log LOG = Log.of("mcp");

  /** What became of one server: its tools, or why it has none. */
  public record Outcome(String server, String transport, List<String> tools, String failure) {
    public Outcome {
      tools = List.copyOf(tools);
    }
  }

  private final McpLaunch launch;
  private final Map<McpServer, CompletableFuture<List<McpSchema.Tool>>> starts = new LinkedHashMap<>();
  private final long startedNanos = System.nanoTime();
  /** Kills the servers' sessions when the JVM exits on a signal before {@link #close}: exec and batch alike. */
  private final Thread exitHook = new Thread(this::kill, "mcp-exit");

  private McpServers(List<McpServerConfig> configs, McpLaunch launch) {
    this.launch = launch;
    for (McpServerConfig config : configs) {
      if (!config.enabled()) {
        continue;
      }
      McpServer server = new McpServer(config, launch);
      CompletableFuture<List<McpSchema.Tool>> start = new CompletableFuture<>();
      Thread.ofVirtual().name("mcp-start-" + config.name()).start(() -> {
        try {
          start.complete(server.start());
        } catch (IOException | RuntimeException e) {
          start.completeExceptionally(e);
        }
      });
      starts.put(server, start);
    }
    if (!starts.isEmpty()) {
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
  }

  /** Starts every enabled server of {@code configs}; returns at once. */
  public static McpServers start(List<McpServerConfig> configs, McpLaunch launch) {
    return new McpServers(configs, launch);
  }

  /**
   * The tools of the servers that started, named as codex names them, in configuration order; waits for each server
   * at most its startup timeout (counted from {@link #start}). Each failure goes to {@code warning} once, as one line.
   *
   * @throws RunnerException (config, exit 2) under {@code --strict-config} when a server failed, or when a tool's
   *     schema was malformed
   */
  public List<Tool> tools(Consumer<String> warning) {
    List<Tool> tools = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<McpServer, CompletableFuture<List<McpSchema.Tool>>> e : starts.entrySet()) {
      McpServer server = e.getKey();
      String name = server.config().name();
      List<McpSchema.Tool> listed;
      try {
        listed = await(server, e.getValue());
      } catch (IOException ex) {
        failures.add("MCP server '" + name + "' " + ex.getMessage() + "; the run goes on without its tools");
        server.close();
        continue;
      }
      for (McpSchema.Tool t : listed) {
        if (!server.config().offers(t.name())) {
          continue;
        }
        String qualified = ToolNames.qualified(name, t.name());
        if (!names.add(qualified)) {
          failures.add("MCP server '" + name + "' offers tool '" + t.name() + "' under a name already taken ("
              + qualified + "); it is left out");
          continue;
        }
        try {
          tools.add(new McpTool(server, t, qualified));
        } catch (InputSchemas.Malformed ex) {
          names.remove(qualified);
          failures.add("MCP server '" + name + "' tool '" + t.name() + "' has a malformed inputSchema: "
              + ex.getMessage() + "; the tool is left out");
        }
      }
    }
    failures.forEach(warning);
    if (launch.strict() && !failures.isEmpty()) {
      throw RunnerException.config(failures.getFirst()
          + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more problem(s))" : ""),
          "fix the server or its [mcp_servers] table, set enabled = false, or drop --strict-config");
    }
    return tools;
  }

  /** Each server's tool names (after enabled_tools/disabled_tools) or why it failed: {@code runner config --probe}. */
  public List<Outcome> probe() {
    List<Outcome> outcomes = new ArrayList<>();
    for (Map.Entry<McpServer, CompletableFuture<List<McpSchema.Tool>>> e : starts.entrySet()) {
      McpServerConfig config = e.getKey().config();
      try {
        List<String> names = new ArrayList<>();
        for (McpSchema.Tool t : await(e.getKey(), e.getValue())) {
          if (config.offers(t.name())) {
            names.add(ToolNames.qualified(config.name(), t.name()));
          }
        }
        outcomes.add(new Outcome(config.name(), config.transport().label(), names, null));
      } catch (IOException ex) {
        outcomes.add(new Outcome(config.name(), config.transport().label(), List.of(), ex.getMessage()));
      }
    }
    return outcomes;
  }

  /** Stops every server; idempotent. */
  @Override
  public void close() {
    if (!starts.isEmpty()) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs or has run
      }
    }
    List<Thread> closing = new ArrayList<>();
    for (McpServer server : starts.keySet()) {
      closing.add(Thread.ofVirtual().name("mcp-stop-" + server.config().name()).start(server::close));
    }
    for (Thread t : closing) {
      try {
        // McpServer.close is bounded (a polite close of 2 s, then kills); this only guards a hang
        t.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void kill() {
    starts.keySet().forEach(McpServer::kill);
  }

  private List<McpSchema.Tool> await(McpServer server, CompletableFuture<List<McpSchema.Tool>> start)
      throws IOException {
    Duration limit = server.config().startupTimeout();
    long leftNanos = startedNanos + limit.toNanos() - System.nanoTime();
    try {
      return start.get(Math.max(0, leftNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.debug(() -> "server " + server.config().name() + " timed out at start");
      throw new IOException("did not start within " + seconds(limit) + " s (startup_timeout_sec)");
    } catch (ExecutionException e) {
      throw new IOException("failed to start: " + McpServer.describe(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("was still starting when the run was interrupted", e);
    }
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
  }
}
