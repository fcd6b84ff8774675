package dev.runner.cli;

import dev.runner.config.RunConfig;
import dev.runner.mcp.McpLaunch;
import dev.runner.mcp.McpServers;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.SandboxPolicy;
import dev.runner.tools.Tool;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The run's MCP servers as exec and batch use them. Touches the MCP classes (and so the SDK) only when {@link #start}
 * is called for a configuration that has servers: a run without any loads none of them.
 */
final class McpWiring implements AutoCloseable {
  private volatile McpServers servers;

  /** Starts the configured servers (returns at once); nothing when there are none. */
  void start(RunConfig config, Path workspace, SandboxMode sandbox, SandboxPolicy policy,
      Map<String, String> environment, boolean strict) {
    if (config.mcpServers().isEmpty()) {
      return;
    }
    servers = McpServers.start(config.mcpServers(), new McpLaunch(workspace, sandbox, policy, environment,
        config.secretRule(), strict, version()));
  }

  /** The servers' tools once they are up (each waits at most its startup timeout); warnings go to {@code err}. */
  List<Tool> tools(PrintWriter err, boolean quiet) {
    McpServers s = servers;
    if (s == null) {
      return List.of();
    }
    return s.tools(warning -> {
      if (!quiet) {
        synchronized (err) {
          err.println("runner: warning: " + warning);
          err.flush();
        }
      }
    });
  }

  /**
   * {@code runner config --probe}: one row per server, {@code mcp_servers.NAME.tools}, with the tools' names or why
   * the server failed. Servers run unsandboxed here: probing runs no model and no command.
   */
  static List<dev.runner.config.ConfigReport.Row> probe(RunConfig config, Path workspace,
      Map<String, String> environment) {
    if (config.mcpServers().isEmpty()) {
      return List.of();
    }
    SandboxPolicy policy = new SandboxPolicy(config.sandboxPaths().hide(), config.sandboxPaths().expose());
    try (McpServers servers = McpServers.start(config.mcpServers(), new McpLaunch(workspace,
        SandboxMode.DANGER_FULL_ACCESS, policy, environment, config.secretRule(), false, version()))) {
      List<dev.runner.config.ConfigReport.Row> rows = new java.util.ArrayList<>();
      for (McpServers.Outcome o : servers.probe()) {
        Object value = o.failure() == null ? o.tools() : "failed: " + o.failure();
        rows.add(new dev.runner.config.ConfigReport.Row("mcp_servers." + o.server() + ".tools", value, "probe", ""));
      }
      config.mcpServers().stream().filter(s -> !s.enabled()).forEach(s -> rows.add(
          new dev.runner.config.ConfigReport.Row("mcp_servers." + s.name() + ".tools", "disabled (enabled = false)",
              "probe", "")));
      return rows;
    }
  }

  /** Stops the servers; idempotent, safe from a shutdown hook. */
  @Override
  public void close() {
    McpServers s = servers;
    if (s != null) {
      s.close();
    }
  }

  private static String version() {
    try {
      String[] lines = new VersionProvider().getVersion();
      return lines.length == 0 ? "unknown" : lines[0].replaceFirst("^runner ", "");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
