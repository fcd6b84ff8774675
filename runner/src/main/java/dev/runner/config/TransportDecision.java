package dev.runner.config;

import java.util.Objects;

/**
 * The transport a run will use and why.
 *
 * @param transport websocket or http
 * @param reason one line for humans, starting with the transport, e.g. {@code "http: --transport
 *     http"} or {@code "websocket: provider 'openai' has supports_websockets = true (built-in
 *     default)"}
 * @param source where the deciding value came from
 */
public record TransportDecision(Transport transport, String reason, Provenance source) {
  public TransportDecision {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(source, "source");
  }
}
