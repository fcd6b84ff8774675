package dev.runner.loop;

import dev.runner.protocol.Item;
import dev.runner.protocol.StreamEvent;
import dev.runner.protocol.Usage;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolResult;
import java.util.List;

/** Fans callbacks out to several listeners. */
record CompositeLoopListener(List<LoopListener> listeners) implements LoopListener {
  @Override
  public void sessionStarted(String sessionId) {
    listeners.forEach(l -> l.sessionStarted(sessionId));
  }

  @Override
  public void turnStarted(int turn, boolean repair) {
    listeners.forEach(l -> l.turnStarted(turn, repair));
  }

  @Override
  public void event(int turn, StreamEvent event) {
    for (LoopListener l : listeners) {
      l.event(turn, event);
    }
  }

  @Override
  public void turnCompleted(int turn, Usage usage, List<Item> output) {
    listeners.forEach(l -> l.turnCompleted(turn, usage, output));
  }

  @Override
  public void turnFailed(int turn, String message) {
    listeners.forEach(l -> l.turnFailed(turn, message));
  }

  @Override
  public void compacted(int turn, boolean serverSide, int itemsBefore, int itemsAfter) {
    listeners.forEach(l -> l.compacted(turn, serverSide, itemsBefore, itemsAfter));
  }

  @Override
  public void toolStarted(int turn, ToolCall call) {
    listeners.forEach(l -> l.toolStarted(turn, call));
  }

  @Override
  public void toolFinished(int turn, ToolCall call, ToolResult result, long nanos) {
    listeners.forEach(l -> l.toolFinished(turn, call, result, nanos));
  }

  @Override
  public void finalMessage(String text) {
    listeners.forEach(l -> l.finalMessage(text));
  }

  @Override
  public void lastResponse(ResponseMark mark, dev.runner.transport.TransportKind transport, boolean stored) {
    listeners.forEach(l -> l.lastResponse(mark, transport, stored));
  }

  @Override
  public void conversationEnded(java.util.List<dev.runner.protocol.Item> items) {
    listeners.forEach(l -> l.conversationEnded(items));
  }

  @Override
  public void sessionFinished(boolean success, Usage total) {
    listeners.forEach(l -> l.sessionFinished(success, total));
  }
}
