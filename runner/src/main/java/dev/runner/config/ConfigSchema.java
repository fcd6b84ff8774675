package dev.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.RunnerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys the runner reads and their types. {@link #check} walks a whole layer: a known key with
 * the wrong type is a config error naming its full path, the expected type and where it was
 * written; keys the runner does not know are collected (codex configs hold many).
 */
final class ConfigSchema {
  private ConfigSchema() {}

  /** The shape a value must have. */
  sealed interface Shape {}

  /** Leaf types. */
  enum Scalar implements Shape {
    STRING("a string"),
    BOOLEAN("a boolean"),
    COUNT("a non-negative integer"),
    LONG(
        "a non-negative integer"),
    INTEGER("an integer"),
    STRING_MAP("a table of strings"),
    STRING_LIST("an array of strings"),
    SECONDS("a non-negative number of seconds");

    final String expected;

    Scalar(String expected) {
      this.expected = expected;
    }
  }

  /** A string from a fixed set. */
  record Choice(List<String> values) implements Shape {}

  /** A table with known fields; others are unknown keys. */
  record Table(Map<String, Shape> fields) implements Shape {}

  /** A table whose keys are ids chosen by the user, each value of one shape. */
  record MapOf(Shape value) implements Shape {}

  static final Table PROVIDER = new Table(ordered(
      "name", Scalar.STRING,
      "base_url", Scalar.STRING,
      "env_key", Scalar.STRING,
      "env_key_instructions", Scalar.STRING,
      "wire_api", Scalar.STRING,
      "query_params", Scalar.STRING_MAP,
      "http_headers", Scalar.STRING_MAP,
      "env_http_headers", Scalar.STRING_MAP,
      "request_max_retries", Scalar.COUNT,
      "stream_max_retries", Scalar.COUNT,
      "stream_idle_timeout_ms", Scalar.LONG,
      "websocket_connect_timeout_ms", Scalar.LONG,
      "supports_websockets", Scalar.BOOLEAN,
      "websocket_lanes", Scalar.BOOLEAN,
      "websocket_warmup", Scalar.BOOLEAN,
      "websocket_max_age_ms", Scalar.LONG,
      "websocket_rotation_margin_ms", Scalar.LONG,
      "websocket_keepalive_ms", Scalar.LONG,
      "max_connections", Scalar.COUNT,
      "ca_file", Scalar.STRING));

  static final Table EMULATOR = new Table(ordered(
      "scenario", Scalar.STRING,
      "latency", new Choice(List.of("zero", "realistic")),
      "faults", Scalar.STRING,
      "seed", Scalar.INTEGER));

  /** Codex's {@code [shell_environment_policy]}; {@code experimental_use_profile} is codex's and ignored here. */
  static final Table SHELL_ENVIRONMENT_POLICY = new Table(ordered(
      "inherit", new Choice(List.of("all", "core", "none")),
      "ignore_default_excludes", Scalar.BOOLEAN,
      "exclude", Scalar.STRING_LIST,
      "set", Scalar.STRING_MAP,
      "include_only", Scalar.STRING_LIST));

  /** Codex's {@code [mcp_servers.NAME]}; see {@link McpServerConfig}. */
  static final Table MCP_SERVER = new Table(ordered(
      "command", Scalar.STRING,
      "args", Scalar.STRING_LIST,
      "env", Scalar.STRING_MAP,
      "cwd", Scalar.STRING,
      "url", Scalar.STRING,
      "bearer_token_env_var", Scalar.STRING,
      "http_headers", Scalar.STRING_MAP,
      "startup_timeout_sec", Scalar.SECONDS,
      "tool_timeout_sec", Scalar.SECONDS,
      "enabled", Scalar.BOOLEAN,
      "enabled_tools", Scalar.STRING_LIST,
      "disabled_tools", Scalar.STRING_LIST));

  /** What a profile may set: every top-level key but {@code profile} and {@code profiles}. */
  static final Table PROFILE = new Table(ordered(
      "model", Scalar.STRING,
      "model_provider", Scalar.STRING,
      "transport", new Choice(List.of("auto", "websocket", "http")),
      "tool_output_token_limit", Scalar.LONG,
      "model_auto_compact_token_limit", Scalar.LONG,
      "metrics_push_url", Scalar.STRING,
      "store_responses", Scalar.BOOLEAN,
      "disable_response_storage", Scalar.BOOLEAN,
      "model_providers", new MapOf(PROVIDER),
      "emulator", EMULATOR,
      "shell_environment_policy", SHELL_ENVIRONMENT_POLICY,
      "mcp_servers", new MapOf(MCP_SERVER),
      "sandbox_paths", new Table(ordered("hide", Scalar.STRING_LIST, "expose", Scalar.STRING_LIST)),
      "model_reasoning_effort", new Choice(CodexKeys.EFFORTS),
      "model_reasoning_summary", new Choice(CodexKeys.SUMMARIES),
      "model_verbosity", new Choice(CodexKeys.VERBOSITIES),
      "model_supports_reasoning_summaries", Scalar.BOOLEAN,
      "sandbox_mode", new Choice(CodexKeys.SANDBOX_MODES),
      // codex's exclude_tmpdir_env_var and exclude_slash_tmp are known so that they are not reported: the runner's
      // sandbox gives commands a private /tmp of their own in every mode
      "sandbox_workspace_write", new Table(ordered("writable_roots", Scalar.STRING_LIST, "network_access",
          Scalar.BOOLEAN, "exclude_tmpdir_env_var", Scalar.BOOLEAN, "exclude_slash_tmp", Scalar.BOOLEAN)),
      "project_doc_max_bytes", Scalar.LONG,
      "project_doc_fallback_filenames", Scalar.STRING_LIST));

  static final Table TOP = withProfiles();

  /**
   * Checks every value of {@code layer}'s document against {@link #TOP}.
   *
   * @param unknown receives the keys the runner does not know
   * @throws RunnerException (config) on the first value of the wrong type
   */
  static void check(Layer layer, List<UnknownKey> unknown) {
    walk(TOP, layer.document(), new ArrayList<>(), layer, unknown);
  }

  private static void walk(
      Shape shape, JsonNode node, List<String> path, Layer layer, List<UnknownKey> unknown) {
    // instanceof rather than a pattern switch: JDK 25 spins a class for each pattern switch at its first use (about a
    // millisecond on a small machine, on the start-up path), which the AOT cache cannot hold
    if (shape instanceof Table t) {
      expect(node.isObject(), "a table", node, path, layer);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        path.add(e.getKey());
        Shape field = t.fields().get(e.getKey());
        if (field == null) {
          unknown.add(new UnknownKey(
              String.join(".", path), layer.whereInDocument(List.copyOf(path))));
        } else {
          walk(field, e.getValue(), path, layer, unknown);
        }
        path.remove(path.size() - 1);
      }
    } else if (shape instanceof MapOf m) {
      expect(node.isObject(), "a table", node, path, layer);
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        path.add(e.getKey());
        walk(m.value(), e.getValue(), path, layer, unknown);
        path.remove(path.size() - 1);
      }
    } else if (shape instanceof Choice c) {
      boolean ok = node.isTextual() && c.values().contains(node.asText());
      expect(ok, "one of " + String.join(", ", c.values()), node, path, layer);
    } else {
      checkScalar((Scalar) shape, node, path, layer);
    }
  }

  private static void checkScalar(Scalar s, JsonNode node, List<String> path, Layer layer) {
    switch (s) {
      case STRING -> expect(node.isTextual(), s.expected, node, path, layer);
      case BOOLEAN -> expect(node.isBoolean(), s.expected, node, path, layer);
      case COUNT -> expect(
          node.isIntegralNumber() && node.canConvertToInt() && node.asInt() >= 0,
          s.expected,
          node,
          path,
          layer);
      case LONG -> expect(
          node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0,
          s.expected,
          node,
          path,
          layer);
      case INTEGER -> expect(
          node.isIntegralNumber() && node.canConvertToLong(), s.expected, node, path, layer);
      case STRING_MAP -> {
        expect(node.isObject(), s.expected, node, path, layer);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          path.add(e.getKey());
          expect(e.getValue().isTextual(), "a string", e.getValue(), path, layer);
          path.remove(path.size() - 1);
        }
      }
      case STRING_LIST -> {
        expect(node.isArray(), s.expected, node, path, layer);
        for (int i = 0; i < node.size(); i++) {
          JsonNode item = node.get(i);
          if (!item.isTextual()) {
            String key = String.join(".", path);
            throw RunnerException.config(key + "[" + i + "]: expected a string, got " + describe(item) + " ("
                + layer.whereInDocument(List.copyOf(path)) + ")", "fix '" + key + "' in " + layer.label());
          }
        }
      }
      case SECONDS -> expect(node.isNumber() && node.asDouble() >= 0 && node.asDouble() <= Integer.MAX_VALUE,
          s.expected, node, path, layer);
      default -> throw new IllegalStateException("unhandled scalar " + s);
    }
  }

  private static void expect(
      boolean ok, String expected, JsonNode node, List<String> path, Layer layer) {
    if (ok) {
      return;
    }
    String key = String.join(".", path);
    throw RunnerException.config(
        key
            + ": expected "
            + expected
            + ", got "
            + describe(node)
            + " ("
            + layer.whereInDocument(List.copyOf(path))
            + ")",
        "fix '" + key + "' in " + layer.label());
  }

  /** A value as users wrote it, for messages: {@code string "four"}, {@code integer -1}. */
  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "string \"" + node.asText() + "\"";
    }
    if (node.isBoolean()) {
      return "boolean " + node.asBoolean();
    }
    if (node.isIntegralNumber()) {
      return "integer " + node.asText();
    }
    if (node.isNumber()) {
      return "float " + node.asText();
    }
    if (node.isObject()) {
      return "a table";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static Table withProfiles() {
    Map<String, Shape> top = new LinkedHashMap<>(PROFILE.fields());
    top.put("profile", Scalar.STRING);
    top.put("profiles", new MapOf(PROFILE));
    return new Table(java.util.Collections.unmodifiableMap(top));
  }

  private static Map<String, Shape> ordered(Object... pairs) {
    Map<String, Shape> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Shape) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
