package dev.runner.transport;

/** The two wires to the Responses API. */
public enum TransportKind {
  /** {@code response.create} frames over one persistent WebSocket per session. */
  WEBSOCKET,
  /** {@code POST /responses} with an SSE answer, full input every turn. */
  HTTP
}
