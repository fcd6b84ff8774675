package dev.runner.tools;

import dev.runner.logging.Log;

/** Keeps a faulty listener from failing a tool call: its exceptions are logged and dropped. */
record SafeListener(ToolListener delegate) implements ToolListener {
  private static final Log LOG = Log.of("tools");

  static ToolListener wrap(ToolListener listener) {
    return listener instanceof SafeListener ? listener : new SafeListener(listener);
  }

  @Override
  public void commandStarted(String callId, String command) {
    guard(() -> delegate.commandStarted(callId, command));
  }

  @Override
  public void commandFinished(ToolResult result) {
    guard(() -> delegate.commandFinished(result));
  }

  @Override
  public void planUpdated(String callId, ToolResult.PlanUpdated plan) {
    guard(() -> delegate.planUpdated(callId, plan));
  }

  @Override
  public void mcpCallStarted(String callId, String server, String tool, com.fasterxml.jackson.databind.JsonNode args) {
    guard(() -> delegate.mcpCallStarted(callId, server, tool, args));
  }

  private static void guard(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.error("tool listener failed", e);
    }
  }
}
