package dev.runner.config;

import dev.runner.RunnerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads codex's {@code [mcp_servers.NAME]} tables into {@link McpServerConfig}s, each key on its own with its
 * provenance (recorded in the run's sources as {@code mcp_servers.NAME.KEY}). A server with both or neither of {@code
 * command} and {@code url}, a bad name, a relative {@code cwd} or a URL that is not http(s) is a config error naming
 * the key and where it was written.
 */
final class McpServersResolver {
  static final String PREFIX = "mcp_servers";

  /** Codex's rule for server names: they become part of tool names, which the Responses API restricts. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private McpServersResolver() {}

  static List<McpServerConfig> resolve(Layers layers, Map<String, Provenance> sources) {
    List<McpServerConfig> servers = new ArrayList<>();
    for (String name : layers.keysUnder(List.of(PREFIX))) {
      servers.add(server(layers, name, sources));
    }
    return servers;
  }

  /** Every {@code bearer_token_env_var} in {@code layers}: credentials that shell commands must not see. */
  static Set<String> credentialVariables(List<Layer> layers) {
    Set<String> names = new TreeSet<>();
    for (Layer layer : layers) {
      collect(layer.document().path(PREFIX), names);
      layer.document().path("profiles").forEach(p -> collect(p.path(PREFIX), names));
    }
    names.removeIf(String::isBlank);
    return names;
  }

  private static void collect(com.fasterxml.jackson.databind.JsonNode servers, Set<String> names) {
    servers.forEach(server -> {
      if (server.path("bearer_token_env_var").isTextual()) {
        names.add(server.path("bearer_token_env_var").asText().trim());
      }
    });
  }

  private static McpServerConfig server(Layers layers, String name, Map<String, Provenance> allSources) {
    Map<String, Provenance> sources = new LinkedHashMap<>();
    Optional<Layers.Found> command = layers.get(key(name, "command"), "command", sources);
    Optional<Layers.Found> url = layers.get(key(name, "url"), "url", sources);
    String at = PREFIX + "." + name;
    if (!NAME.matcher(name).matches()) {
      throw RunnerException.config("[" + at + "]: server names may hold only letters, digits, '_' and '-' ("
          + (command.or(() -> url).map(f -> f.source().toString()).orElse("config")) + ")",
          "rename the table: the name becomes part of the tool names the model sees");
    }
    if (command.isPresent() == url.isPresent()) {
      throw RunnerException.config("[" + at + "] needs exactly one of command (a stdio server) or url (a streamable "
          + "HTTP server)" + (command.isPresent()
              ? ", got both (" + command.get().source() + ", " + url.get().source() + ")"
              : ", got neither"),
          "set command = \"...\" to start a program, or url = \"https://...\" to reach a running server");
    }
    McpServerConfig.Transport transport;
    if (command.isPresent()) {
      Optional<Path> cwd = layers.optionalString(key(name, "cwd"), "cwd", sources).map(Path::of);
      if (cwd.isPresent() && !cwd.get().isAbsolute()) {
        throw RunnerException.config(at + ".cwd: '" + cwd.get() + "' is not absolute (" + sources.get("cwd") + ")",
            "write an absolute path, or leave cwd out to start the server in the workspace");
      }
      transport = new McpServerConfig.Stdio(command.get().value().asText(),
          layers.stringList(key(name, "args"), "args", sources),
          layers.stringMap(key(name, "env"), "env", sources), cwd);
    } else {
      String text = url.get().value().asText();
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw RunnerException.config(at + ".url: '" + text + "' is not an http(s) URL (" + url.get().source() + ")",
            "write the server's streamable HTTP endpoint, such as https://host/mcp");
      }
      transport = new McpServerConfig.Http(uri,
          layers.optionalString(key(name, "bearer_token_env_var"), "bearer_token_env_var", sources),
          layers.stringMap(key(name, "http_headers"), "http_headers", sources));
    }
    Duration startup = seconds(layers, name, "startup_timeout_sec", McpServerConfig.DEFAULT_STARTUP_TIMEOUT, sources);
    Duration tool = seconds(layers, name, "tool_timeout_sec", McpServerConfig.DEFAULT_TOOL_TIMEOUT, sources);
    boolean enabled = layers.bool(key(name, "enabled"), true, "enabled", sources);
    Optional<List<String>> enabledTools = layers.find(key(name, "enabled_tools")).isPresent()
        ? Optional.of(layers.stringList(key(name, "enabled_tools"), "enabled_tools", sources))
        : Optional.empty();
    List<String> disabledTools = layers.stringList(key(name, "disabled_tools"), "disabled_tools", sources);
    sources.forEach((k, v) -> allSources.put(at + "." + k, v));
    return new McpServerConfig(name, transport, startup, tool, enabled, enabledTools, disabledTools, sources);
  }

  private static Duration seconds(Layers layers, String name, String field, Duration fallback,
      Map<String, Provenance> sources) {
    return layers.get(key(name, field), field, sources)
        .map(f -> Duration.ofMillis(Math.round(f.value().asDouble() * 1000)))
        .orElse(fallback);
  }

  private static List<String> key(String name, String field) {
    return List.of(PREFIX, name, field);
  }
}
