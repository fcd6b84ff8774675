package dev.runner.config;

/**
 * A key the runner does not use (codex keeps many: {@code approval_policy}, {@code
 * [mcp_servers]}, ...). Ignored unless {@code --strict-config}.
 *
 * @param key the full dotted path, e.g. {@code mcp_servers} or {@code
 *     model_providers.x.requires_openai_auth}
 * @param source where it was written
 */
public record UnknownKey(String key, Provenance source) {
  @Override
  public String toString() {
    return key + " (" + source + ")";
  }
}
