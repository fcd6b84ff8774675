package dev.runner.config;

import dev.runner.environment.SecretRule;
import dev.runner.environment.ShellEnvironmentPolicy;
import dev.runner.logging.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code runner config} shows: every resolved value with where it came from, the transport and
 * why, the files read and the ignored keys. Never holds a secret: the API key appears only as
 * "set"/"not set" and the name of its variable, and static header values whose names look like
 * credentials are redacted, as are {@code shell_environment_policy.set} values the secret rule names. Render it with {@link ConfigText} or {@link ConfigJson}.
 *
 * @param files config files read, lowest precedence first
 * @param rows the values in display order
 * @param unknownKeys keys the runner ignored
 */
public record ConfigReport(List<Path> files, List<Row> rows, List<UnknownKey> unknownKeys) {

  /**
   * One value.
   *
   * @param key dotted display key ({@code provider.base_url})
   * @param value a String, Boolean, Number, List of strings or Map of strings
   * @param source where it came from ({@link Provenance#toString()}, or {@code environment})
   * @param reason for the transport: why it was chosen; otherwise empty
   */
  public record Row(String key, Object value, String source, String reason) {}

  public ConfigReport {
    files = List.copyOf(files);
    rows = List.copyOf(rows);
    unknownKeys = List.copyOf(unknownKeys);
  }

  /** The report of {@code config}; {@code env} only tells whether key variables are set. */
  public static ConfigReport of(RunConfig config, Map<String, String> env) {
    return of(config, env, null);
  }

  /** As {@link #of(RunConfig, Map)}, with the project docs a run here would send ({@code project_docs}). */
  public static ConfigReport of(RunConfig config, Map<String, String> env, ProjectDocs docs) {
    List<Row> rows = new ArrayList<>();
    ProviderConfig p = config.provider();
    add(rows, "model", config.model(), config.source("model"));
    add(rows, "profile", config.profile().orElse("none"), config.source("profile"));
    add(rows, "provider.id", p.id(), config.source("model_provider"));
    add(rows, "provider.name", p.name(), p.source("name"));
    add(rows, "provider.base_url",
        p.baseUrl().map(Redactor::redactUrl).orElse("embedded (in-process emulator on an ephemeral loopback port)"),
        p.source("base_url"));
    add(rows, "provider.env_key", p.envKey().orElse("none (no key needed)"), p.source("env_key"));
    rows.add(new Row("provider.api_key", apiKeyStatus(p, env), "environment", ""));
    p.envKeyInstructions().ifPresent(i -> add(rows, "provider.env_key_instructions", i,
        p.source("env_key_instructions")));
    add(rows, "provider.wire_api", p.wireApi(), p.source("wire_api"));
    add(rows, "provider.query_params", redactByName(p.queryParams()), p.source("query_params"));
    add(rows, "provider.http_headers", redactByName(p.httpHeaders()), p.source("http_headers"));
    Map<String, String> envHeaders = new LinkedHashMap<>();
    p.envHttpHeaders().forEach((h, v) -> envHeaders.put(h, v + (isSet(env, v) ? " (set)" : " (not set)")));
    add(rows, "provider.env_http_headers", envHeaders, p.source("env_http_headers"));
    add(rows, "provider.request_max_retries", p.requestMaxRetries(), p.source("request_max_retries"));
    add(rows, "provider.stream_max_retries", p.streamMaxRetries(), p.source("stream_max_retries"));
    millis(rows, p, "stream_idle_timeout_ms", p.streamIdleTimeout());
    millis(rows, p, "websocket_connect_timeout_ms", p.websocketConnectTimeout());
    add(rows, "provider.supports_websockets", p.supportsWebsockets(), p.source("supports_websockets"));
    add(rows, "provider.websocket_lanes", p.websocketLanes(), p.source("websocket_lanes"));
    add(rows, "provider.websocket_warmup", p.websocketWarmup(), p.source("websocket_warmup"));
    millis(rows, p, "websocket_max_age_ms", p.websocketMaxAge());
    millis(rows, p, "websocket_rotation_margin_ms", p.websocketRotationMargin());
    millis(rows, p, "websocket_keepalive_ms", p.websocketKeepalive());
    add(rows, "provider.max_connections", p.maxConnections(), p.source("max_connections"));
    add(rows, "provider.ca_file", p.caFile().map(Path::toString).orElse("none"), p.source("ca_file"));
    TransportDecision t = config.transport();
    rows.add(new Row("transport", t.transport().label(), t.source().toString(), t.reason()));
    add(rows, "tool_output_token_limit", config.toolOutputTokenLimit(),
        config.source("tool_output_token_limit"));
    Object compact = config.modelAutoCompactTokenLimit().isPresent()
        ? (Object) config.modelAutoCompactTokenLimit().getAsLong()
        : "none";
    add(rows, "model_auto_compact_token_limit", compact,
        config.source("model_auto_compact_token_limit"));
    // disable_response_storage = true overrides it: its source then says why storage is off
    add(rows, "store_responses", config.storeResponses(), !config.storeResponses()
        && config.source("store_responses") != Provenance.DEFAULT
        && config.source("disable_response_storage") != Provenance.DEFAULT
            ? config.source("disable_response_storage")
            : config.source("store_responses"));
    EmulatorSettings e = config.emulator();
    add(rows, "emulator.scenario", e.scenario(), config.source("emulator.scenario"));
    add(rows, "emulator.latency", e.latency().label(), config.source("emulator.latency"));
    add(rows, "emulator.faults", e.faults(), config.source("emulator.faults"));
    add(rows, "emulator.seed", e.seed(), config.source("emulator.seed"));
    ShellEnvironmentPolicy policy = config.shellEnvironmentPolicy();
    String at = EnvironmentResolver.PREFIX + ".";
    add(rows, at + "inherit", policy.inherit().label(), config.source(at + "inherit"));
    add(rows, at + "ignore_default_excludes", policy.ignoreDefaultExcludes(),
        config.source(at + "ignore_default_excludes"));
    add(rows, at + "exclude", policy.exclude(), config.source(at + "exclude"));
    SecretRule rule = config.secretRule();
    Map<String, String> set = new LinkedHashMap<>();
    policy.set().forEach((k, v) -> set.put(k, rule.isSecret(k) ? "[REDACTED]" : v));
    add(rows, at + "set", set, config.source(at + "set"));
    add(rows, at + "include_only", policy.includeOnly(), config.source(at + "include_only"));
    add(rows, "sandbox_paths.hide", config.sandboxPaths().hide(), config.source("sandbox_paths.hide"));
    add(rows, "sandbox_paths.expose", config.sandboxPaths().expose(), config.source("sandbox_paths.expose"));
    CodexKeys c = config.codex();
    add(rows, "model_reasoning_effort", c.reasoningEffort().orElse("unset"), config.source("model_reasoning_effort"));
    add(rows, "model_reasoning_summary", c.reasoningSummary().orElse("unset"),
        config.source("model_reasoning_summary"));
    add(rows, "model_verbosity", c.verbosity().orElse("unset"), config.source("model_verbosity"));
    add(rows, "model_supports_reasoning_summaries",
        c.supportsReasoningSummaries().map(Object::toString).orElse("unset"),
        config.source("model_supports_reasoning_summaries"));
    add(rows, "sandbox_mode", c.sandboxMode().orElse("read-only"), config.source("sandbox_mode"));
    add(rows, "sandbox_workspace_write.writable_roots", c.writableRoots(),
        config.source("sandbox_workspace_write.writable_roots"));
    add(rows, "sandbox_workspace_write.network_access", c.networkAccess(),
        config.source("sandbox_workspace_write.network_access"));
    add(rows, "project_doc_max_bytes", c.projectDocMaxBytes(), config.source("project_doc_max_bytes"));
    add(rows, "project_doc_fallback_filenames", c.projectDocFallbackFilenames(),
        config.source("project_doc_fallback_filenames"));
    if (docs != null) {
      rows.add(new Row("project_docs", docs.files().stream().map(Path::toString).toList(), "working directory",
          docs.truncated() ? "cut at project_doc_max_bytes" : ""));
    }
    config.mcpServers().forEach(server -> mcpRows(rows, server, rule, env));
    return new ConfigReport(config.files(), rows, config.unknownKeys());
  }

  /** A copy with {@code more} rows after these ({@code --probe}'s tool lists). */
  public ConfigReport withRows(List<Row> more) {
    List<Row> all = new ArrayList<>(rows);
    all.addAll(more);
    return new ConfigReport(files, all, unknownKeys);
  }

  private static void mcpRows(List<Row> rows, McpServerConfig s, SecretRule rule, Map<String, String> env) {
    String at = McpServersResolver.PREFIX + "." + s.name() + ".";
    Provenance origin = s.transport() instanceof McpServerConfig.Stdio ? s.source("command") : s.source("url");
    add(rows, at + "transport", s.transport().label(), origin);
    if (s.transport() instanceof McpServerConfig.Stdio stdio) {
      add(rows, at + "command", stdio.command(), s.source("command"));
      add(rows, at + "args", stdio.args(), s.source("args"));
      Map<String, String> variables = new LinkedHashMap<>();
      stdio.env().forEach((k, v) -> variables.put(k, rule.isSecret(k) ? "[REDACTED]" : v));
      add(rows, at + "env", variables, s.source("env"));
      add(rows, at + "cwd", stdio.cwd().map(Path::toString).orElse("the workspace"), s.source("cwd"));
    } else if (s.transport() instanceof McpServerConfig.Http http) {
      add(rows, at + "url", Redactor.redactUrl(http.url().toString()), s.source("url"));
      add(rows, at + "bearer_token_env_var", http.bearerTokenEnvVar()
          .map(v -> v + (isSet(env, v) ? " (set)" : " (not set)")).orElse("none"), s.source("bearer_token_env_var"));
      add(rows, at + "http_headers", redactByName(http.httpHeaders()), s.source("http_headers"));
    }
    add(rows, at + "startup_timeout_sec", seconds(s.startupTimeout()), s.source("startup_timeout_sec"));
    add(rows, at + "tool_timeout_sec", seconds(s.toolTimeout()), s.source("tool_timeout_sec"));
    add(rows, at + "enabled", s.enabled(), s.source("enabled"));
    add(rows, at + "enabled_tools", s.enabledTools().map(Object.class::cast).orElse("all"), s.source("enabled_tools"));
    add(rows, at + "disabled_tools", s.disabledTools(), s.source("disabled_tools"));
  }

  /** The row with {@code key}; for tests and callers that want one value. */
  public Row row(String key) {
    return rows.stream().filter(r -> r.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no row " + key));
  }

  /** Whole seconds as an integer, as they are usually written; fractions as a decimal. */
  private static Number seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? (Number) d.toSeconds() : (Number) (d.toMillis() / 1000.0);
  }

  private static String apiKeyStatus(ProviderConfig p, Map<String, String> env) {
    if (p.envKey().isEmpty()) {
      return "not needed";
    }
    return p.apiKeyVariable(env)
        .map(v -> "set (" + v + ")")
        .orElse("not set (set " + String.join(" or ", p.apiKeyVariables()) + ")");
  }

  private static boolean isSet(Map<String, String> env, String variable) {
    String v = env.get(variable);
    return v != null && !v.isBlank();
  }

  /** Values whose name says credential (headers and query parameters alike) are replaced. */
  private static Map<String, String> redactByName(Map<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, Redactor.isCredentialName(k) ? "[REDACTED]" : v));
    return out;
  }

  private static void millis(List<Row> rows, ProviderConfig p, String key, Duration d) {
    add(rows, "provider." + key, d.toMillis(), p.source(key));
  }

  private static void add(List<Row> rows, String key, Object value, Provenance source) {
    rows.add(new Row(key, value, source.toString(), ""));
  }
}
