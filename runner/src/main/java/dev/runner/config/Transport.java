package dev.runner.config;

import java.util.Locale;

/** The transport a run will use, after {@link TransportChoice} has resolved {@code auto}. */
public enum Transport {
  /** {@code response.create} frames over one WebSocket per conversation lane. */
  WEBSOCKET,
  /** {@code POST /responses} with a server-sent-events body. */
  HTTP;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
