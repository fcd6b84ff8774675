package dev.runner.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One of codex's {@code [mcp_servers.NAME]} tables, resolved key by key like any other value (the highest layer that
 * sets a key wins; tables of strings are taken whole). Holds no secret: the bearer token is named by its variable and
 * read when the connection is made.
 *
 * @param name the table's name; {@code ^[a-zA-Z0-9_-]+$}, as codex requires
 * @param transport how the server is reached
 * @param startupTimeout {@code startup_timeout_sec} [10]: start, initialize and list tools within this
 * @param toolTimeout {@code tool_timeout_sec} [60]: each call's bound
 * @param enabled {@code enabled} [true]
 * @param enabledTools {@code enabled_tools}: when present, only these tools are offered
 * @param disabledTools {@code disabled_tools} [none]: never offered (applied after {@code enabled_tools})
 * @param sources where each key came from, by key ({@code command}, {@code url}, ...)
 */
public record McpServerConfig(
    String name,
    Transport transport,
    Duration startupTimeout,
    Duration toolTimeout,
    boolean enabled,
    Optional<List<String>> enabledTools,
    List<String> disabledTools,
    Map<String, Provenance> sources) {

  /** Codex's default {@code startup_timeout_sec}. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(10);

  /** Codex's default {@code tool_timeout_sec}. */
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(60);

  public McpServerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(toolTimeout, "toolTimeout");
    enabledTools = enabledTools.map(List::copyOf);
    disabledTools = List.copyOf(disabledTools);
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** Whether the tool named {@code tool} (the server's own name for it) is offered to the model. */
  public boolean offers(String tool) {
    return enabledTools.map(l -> l.contains(tool)).orElse(true) && !disabledTools.contains(tool);
  }

  /** Where {@code key} came from ({@link Provenance#DEFAULT} if unset). */
  public Provenance source(String key) {
    return sources.getOrDefault(key, Provenance.DEFAULT);
  }

  /** How the server is reached. */
  public sealed interface Transport {
    /** {@code stdio} or {@code streamable_http}, as {@code runner config} shows it. */
    String label();
  }

  /**
   * A program started by the runner, spoken to over its stdin and stdout.
   *
   * @param command {@code command}
   * @param args {@code args} [none]
   * @param env {@code env} [none]: the only variables the server gets beyond the core ones (HOME, PATH, ...)
   * @param cwd {@code cwd} [the workspace], absolute
   */
  public record Stdio(String command, List<String> args, Map<String, String> env, Optional<Path> cwd)
      implements
        Transport {
    public Stdio {
      Objects.requireNonNull(command, "command");
      args = List.copyOf(args);
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    @Override
    public String label() {
      return "stdio";
    }
  }

  /**
   * A server already running somewhere, spoken to over MCP's streamable HTTP.
   *
   * @param url {@code url}
   * @param bearerTokenEnvVar {@code bearer_token_env_var}: the variable whose value is sent as {@code Authorization:
   *     Bearer}
   * @param httpHeaders {@code http_headers} [none]: static headers
   */
  public record Http(URI url, Optional<String> bearerTokenEnvVar, Map<String, String> httpHeaders)
      implements
        Transport {
    public Http {
      Objects.requireNonNull(url, "url");
      httpHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(httpHeaders));
    }

    @Override
    public String label() {
      return "streamable_http";
    }
  }
}
