package dev.runner.transport;

import dev.runner.protocol.StreamEvent;

/**
 * Sees each event of a turn as it arrives, on the thread that called {@link TransportSession#send}. Must not block
 * long: the idle timeout keeps running.
 */
@FunctionalInterface
public interface TurnObserver {
  TurnObserver NONE = event -> {};

  void onEvent(StreamEvent event);
}
