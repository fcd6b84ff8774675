package dev.runner.config;

import dev.runner.environment.SecretRule;
import dev.runner.environment.ShellEnvironmentPolicy;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The resolved configuration of one run, built once by {@link ConfigResolver}. Holds no secret:
 * API keys are read through {@link ProviderConfig#resolveApiKey} when requests are built.
 *
 * @param model {@code model} [{@value ConfigResolver#DEFAULT_MODEL}]
 * @param profile the selected profile ({@code -p}, else top-level {@code profile}), if any
 * @param provider the selected provider ({@code model_provider} [openai], {@code --provider})
 * @param transport websocket or http and why (see {@link TransportChoice})
 * @param toolOutputTokenLimit {@code tool_output_token_limit} [10000]
 * @param modelAutoCompactTokenLimit {@code model_auto_compact_token_limit} [none]
 * @param emulator the {@code [emulator]} table
 * @param shellEnvironmentPolicy codex's {@code [shell_environment_policy]} [inherit all, nothing else]
 * @param credentialVariables the variables any configured provider reads a key or header value from ({@code env_key},
 *     {@code env_http_headers}, in every layer and profile): names, never values; see {@link #secretRule()}
 * @param sandboxPaths the {@code [sandbox_paths]} table
 * @param mcpServers codex's {@code [mcp_servers.NAME]} tables, by name, disabled ones included
 * @param files the config files read, lowest precedence first
 * @param unknownKeys keys present in files or {@code -c} that the runner does not use
 * @param sources where each top-level value came from, by key: {@code model}, {@code profile},
 *     {@code model_provider}, {@code tool_output_token_limit}, {@code
 *     model_auto_compact_token_limit}, {@code emulator.scenario}, ... (provider fields are in
 *     {@link ProviderConfig#sources()})
 * @param codex the codex keys for reasoning, verbosity, the sandbox and project docs
 * @param metricsPushUrl {@code metrics_push_url}: the Prometheus Pushgateway a run pushes its metrics to [none];
 *     {@code --metrics-push} wins
 * @param storeResponses {@code store_responses}: send {@code store: true}, so that the service keeps each response and
 *     a resumed or forked session can chain from the last one instead of resending it [false, as codex]; codex's
 *     former {@code disable_response_storage = true} (a Zero Data Retention account's setting) turns it off
 */
public record RunConfig(
    String model,
    Optional<String> profile,
    ProviderConfig provider,
    TransportDecision transport,
    long toolOutputTokenLimit,
    OptionalLong modelAutoCompactTokenLimit,
    EmulatorSettings emulator,
    ShellEnvironmentPolicy shellEnvironmentPolicy,
    java.util.Set<String> credentialVariables,
    SandboxPaths sandboxPaths,
    List<McpServerConfig> mcpServers,
    List<Path> files,
    List<UnknownKey> unknownKeys,
    Map<String, Provenance> sources,
    CodexKeys codex,
    Optional<String> metricsPushUrl,
    boolean storeResponses) {

  public RunConfig {
    credentialVariables = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(credentialVariables));
    mcpServers = List.copyOf(mcpServers);
    files = List.copyOf(files);
    unknownKeys = List.copyOf(unknownKeys);
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** The secret rule of this run: the standard one, also naming every {@link #credentialVariables()}. */
  public SecretRule secretRule() {
    return SecretRule.standard().withVariables(credentialVariables);
  }

  /**
   * The values log lines must hide for a run with this configuration in {@code environment}: every value the secret
   * rule names, secret-named values {@code shell_environment_policy.set} gives tools (a tool may echo them) and the
   * provider's resolved key, whatever its variable is called.
   */
  public List<String> secretValues(Map<String, String> environment) {
    SecretRule rule = secretRule();
    List<String> values = new java.util.ArrayList<>(rule.secretValues(environment));
    values.addAll(rule.secretValues(shellEnvironmentPolicy().set()));
    provider().apiKey(environment).ifPresent(values::add);
    for (McpServerConfig server : mcpServers) {
      if (server.transport() instanceof McpServerConfig.Stdio stdio) {
        values.addAll(rule.secretValues(stdio.env())); // a server's own token, given in its env
      }
    }
    return values;
  }

  /** Where the value with key {@code key} came from ({@link Provenance#DEFAULT} if unset). */
  public Provenance source(String key) {
    return sources.getOrDefault(key, Provenance.DEFAULT);
  }
}
