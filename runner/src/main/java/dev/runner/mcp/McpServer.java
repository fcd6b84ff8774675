package dev.runner.mcp;

import dev.runner.config.McpServerConfig;
import dev.runner.logging.Log;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One configured server: its connection, its tool list and its calls. {@link #start} connects, initializes and lists
 * the tools; {@link #call} sends one call, bounded; {@link #close} ends the session and, for a stdio server, kills its
 * process with everything it started. Thread-safe once started: calls of one turn may run concurrently.
 */
final class McpServer implements AutoCloseable {
  private static final Log LOG = Log.of("mcp");
  /** How often a waiting call checks that a stdio server still runs, so a crash ends the call at once. */
  private static final long LIVENESS_POLL_MS = 50;
  /** The bound on a polite close before the process is killed. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final int MAX_TOOL_PAGES = 100;

  private final McpServerConfig config;
  private final McpLaunch launch;
  private final Object lock = new Object();
  private StdioProgram program;
  private McpSyncClient client;
  private boolean closed;

  McpServer(McpServerConfig config, McpLaunch launch) {
    this.config = Objects.requireNonNull(config, "config");
    this.launch = Objects.requireNonNull(launch, "launch");
  }

  McpServerConfig config() {
    return config;
  }

  /**
   * Connects, initializes and lists the tools (every page). Blocking; the caller bounds it with the server's startup
   * timeout and closes this server when it gives up.
   *
   * @throws IOException when the process cannot start, the server does not answer or answers with an error
   */
  List<McpSchema.Tool> start() throws IOException {
    McpClientTransport transport = transport();
    McpSyncClient c = McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation("runner", launch.clientVersion()))
        .initializationTimeout(config.startupTimeout())
        // calls are bounded by tool_timeout_sec in call(); this only keeps the SDK from waiting for ever
        .requestTimeout(config.toolTimeout().plus(config.startupTimeout()))
        .build();
    synchronized (lock) {
      if (closed) {
        c.close();
        throw new IOException("the run ended before the server started");
      }
      client = c;
    }
    try {
      c.initialize();
      List<McpSchema.Tool> tools = new ArrayList<>();
      String cursor = null;
      for (int page = 0; page < MAX_TOOL_PAGES; page++) {
        McpSchema.ListToolsResult result = cursor == null ? c.listTools() : c.listTools(cursor);
        if (result.tools() != null) {
          tools.addAll(result.tools());
        }
        cursor = result.nextCursor();
        if (cursor == null || cursor.isEmpty()) {
          break;
        }
      }
      return tools;
    } catch (RuntimeException e) {
      throw new IOException(describe(e), e);
    }
  }

  /**
   * Calls {@code tool} with {@code arguments}, waiting at most {@code bound}.
   *
   * @throws TimeoutException when no answer came within {@code bound}
   * @throws IOException when the server failed the request, exited or was never started
   */
  McpSchema.CallToolResult call(String tool, Map<String, Object> arguments, Duration bound)
      throws IOException, TimeoutException {
    McpSyncClient c;
    synchronized (lock) {
      c = client;
    }
    if (c == null || (program != null && !program.alive())) {
      throw new IOException("the server is not running");
    }
    CompletableFuture<McpSchema.CallToolResult> answer = CompletableFuture.supplyAsync(
        () -> c.callTool(new McpSchema.CallToolRequest(tool, arguments)),
        r -> Thread.ofVirtual().name("mcp-call-" + config.name()).start(r));
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          answer.cancel(true);
          throw new TimeoutException();
        }
        try {
          return answer.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, LIVENESS_POLL_MS),
              TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (program != null && !program.alive()) {
            answer.cancel(true);
            throw new IOException("the server's process exited during the call");
          }
        }
      }
    } catch (ExecutionException e) {
      throw new IOException(describe(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.cancel(true);
      throw new IOException("interrupted while waiting for the server", e);
    }
  }

  /** Ends the session politely (bounded), then kills a stdio server's whole session. Idempotent. */
  @Override
  public void close() {
    McpSyncClient c;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = client;
    }
    if (c != null) {
      CompletableFuture<Void> polite = CompletableFuture.runAsync(c::closeGracefully,
          r -> Thread.ofVirtual().name("mcp-close-" + config.name()).start(r));
      try {
        polite.get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        LOG.debug(() -> "server " + config.name() + " did not close politely: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.debug(() -> "closing the client of " + config.name() + " failed: " + e);
      }
    }
    if (program != null) {
      program.kill();
    }
  }

  /** Kills a stdio server's session at once, without a polite close: for shutdown hooks. */
  void kill() {
    StdioProgram p;
    synchronized (lock) {
      p = program;
    }
    if (p != null) {
      p.kill();
    }
  }

  private McpClientTransport transport() throws IOException {
    if (config.transport() instanceof McpServerConfig.Stdio stdio) {
      StdioProgram p = new StdioProgram(stdio, launch);
      synchronized (lock) {
        program = p;
      }
      var transport = p.transport();
      transport.setStdErrorHandler(line -> LOG.debug(() -> config.name() + " stderr: " + line));
      return transport;
    }
    McpServerConfig.Http http = (McpServerConfig.Http) config.transport();
    HttpRequest.Builder request = HttpRequest.newBuilder();
    http.httpHeaders().forEach(request::header);
    if (http.bearerTokenEnvVar().isPresent()) {
      String variable = http.bearerTokenEnvVar().get();
      String token = launch.environment().get(variable);
      if (token == null || token.isBlank()) {
        throw new IOException("bearer_token_env_var names " + variable + ", which is not set");
      }
      request.header("Authorization", "Bearer " + token.strip());
    }
    String url = http.url().toString();
    java.net.URI uri = http.url();
    String base = uri.getScheme() + "://" + uri.getRawAuthority();
    String endpoint = url.substring(base.length());
    return HttpClientStreamableHttpTransport.builder(base)
        .endpoint(endpoint.isEmpty() ? "/" : endpoint)
        .requestBuilder(request)
        .connectTimeout(config.startupTimeout())
        .jsonMapper(Mcp.sdkMapper())
        .build();
  }

  /** A failure as one line: the SDK nests the cause that says what happened. */
  static String describe(Throwable e) {
    Throwable t = e;
    String message = null;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (!(t instanceof RuntimeException) || t.getCause() == null) {
          break;
        }
      }
    }
    return message != null ? message.lines().findFirst().orElse(message) : e.getClass().getSimpleName();
  }
}
