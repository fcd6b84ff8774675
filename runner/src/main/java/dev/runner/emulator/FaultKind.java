package dev.runner.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults the emulator can inject, by their spec names. */
public enum FaultKind {
  /** Refuse the WebSocket upgrade with 426 Upgrade Required (clients should fall back to HTTP). */
  UPGRADE_426("upgrade426"),
  /** Refuse the WebSocket upgrade with 404. */
  UPGRADE_404("upgrade404"),
  /** Drop the TCP connection mid-stream (after the first output item), no close frame, no final event. */
  RESET("reset"),
  /** WebSocket: close with 1008 (policy violation) before {@code response.completed}; HTTP: like reset. */
  CLOSE_1008("close1008"),
  /** Send nothing more after {@code response.in_progress}, keep the connection open. */
  STALL("stall"),
  /** 429 {@code rate_limit_exceeded} with {@code Retry-After: 1} and {@code Retry-After-Ms}. */
  HTTP_429("http429"),
  /** 500 {@code server_error}. */
  HTTP_500("http500"),
  /** 503 {@code server_is_overloaded}. */
  HTTP_503("http503"),
  /** 400 {@code previous_response_not_found}, as if the parent had been evicted. */
  PREVIOUS_NOT_FOUND("previous_response_not_found"),
  /** WebSocket: the 60-minute limit error {@code websocket_connection_limit_reached}, then close. */
  CONNECTION_LIMIT("websocket_connection_limit_reached"),
  /** One event that is not JSON. */
  MALFORMED("malformed"),
  /** WebSocket: one binary frame where a text frame belongs (HTTP: like malformed). */
  BINARY("binary"),
  /** One event of 17 MiB of padding (larger than clients' default 16 MiB frame limits). */
  OVERSIZED("oversized"),
  /** HTTP: half an SSE event, then end of stream (WebSocket: like reset). */
  TRUNCATED("truncated"),
  /** {@code response.failed} with {@code server_error}. */
  FAILED("failed"),
  /** {@code response.incomplete} with reason {@code max_output_tokens}. */
  INCOMPLETE("incomplete");

  private final String spec;

  FaultKind(String spec) {
    this.spec = spec;
  }

  public String spec() {
    return spec;
  }

  /** True for faults decided at the WebSocket handshake rather than per response. */
  boolean atHandshake() {
    return this == UPGRADE_426 || this == UPGRADE_404;
  }

  public static FaultKind of(String name) {
    String n = name.trim();
    for (FaultKind k : values()) {
      if (k.spec.equalsIgnoreCase(n) || k.name().equalsIgnoreCase(n)) {
        return k;
      }
    }
    if (n.equalsIgnoreCase("prev_not_found")) {
      return PREVIOUS_NOT_FOUND;
    }
    if (n.equalsIgnoreCase("ws_limit")) {
      return CONNECTION_LIMIT;
    }
    throw new IllegalArgumentException("unknown fault '" + name + "'; known: " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(FaultKind::spec).collect(Collectors.joining(", "));
  }
}
