package dev.runner.loop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.runner.logging.Log;
import dev.runner.protocol.Item;
import dev.runner.protocol.Json;
import dev.runner.protocol.ResponseRequest;
import dev.runner.protocol.Usage;
import dev.runner.transport.Compacted;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the conversation under {@code model_auto_compact_token_limit}. Over WebSocket the service compacts by itself:
 * every request carries {@code context_management:[{type:"compaction", compact_threshold}]} and the compaction item it
 * streams makes the {@link Conversation} drop what came before. Over HTTP the loop asks {@code POST
 * /responses/compact} between turns once the last response's total tokens reach the limit, and replaces the
 * conversation with the returned window. A transport without that call gets {@code context_management} instead. A
 * limit of 0 turns all of this off. Owned by the loop's thread.
 */
final class AutoCompaction {
  /** The spec's minimum {@code compact_threshold}: a lower limit is raised to it for server-side compaction. */
  static final long MIN_SERVER_THRESHOLD = 1000;
  private static final Log LOG = Log.of("loop");

  private final long limit;
  private final ModelTransport transport;
  private final LoopListener listener;
  private boolean noEndpoint;

  AutoCompaction(long limit, ModelTransport transport, LoopListener listener) {
    this.limit = limit;
    this.transport = transport;
    this.listener = listener;
  }

  /** {@code base} as this turn sends it: with {@code context_management} when the service compacts. */
  ResponseRequest request(ResponseRequest base) {
    if (limit <= 0 || !serverSide()) {
      return base;
    }
    ArrayNode cm = Json.MAPPER.createArrayNode();
    cm.addObject().put("type", "compaction").put("compact_threshold", Math.max(limit, MIN_SERVER_THRESHOLD));
    return new ResponseRequest(base.model(), base.instructions(), base.input(), base.tools(), base.toolChoice(),
        base.parallelToolCalls(), base.store(), base.previousResponseId(), base.text(), cm, base.promptCacheKey(),
        base.reasoning(), base.include(), base.generate(), base.streamId());
  }

  /** Reports a compaction item the service put in a turn's output. */
  void observe(int turn, List<Item> output, int itemsBefore, Conversation conversation) {
    if (output.stream().anyMatch(Item.Compaction.class::isInstance)) {
      LOG.info(() -> "turn " + turn + ": the service compacted the conversation");
      listener.compacted(turn, true, itemsBefore, conversation.items().size());
    }
  }

  /**
   * Before turn {@code turn}: compacts through the endpoint when the previous response's total tokens reached the limit
   * and the service does not compact by itself.
   */
  void beforeTurn(int turn, Usage previous, Conversation conversation, ResponseRequest base, Instant deadline) {
    if (limit <= 0 || serverSide() || previous.totalTokens() < limit) {
      return;
    }
    int before = conversation.items().size();
    Optional<Compacted> window = transport.compact(base.full(conversation.items()), deadline);
    if (window.isEmpty()) {
      noEndpoint = true;
      LOG.info(() -> "this transport cannot call /responses/compact; asking the service to compact instead");
      return;
    }
    conversation.replace(window.get().output());
    LOG.info(() -> "compacted " + before + " items (" + previous.totalTokens() + " tokens) into "
        + window.get().output().size() + " before turn " + turn);
    listener.compacted(turn, false, before, window.get().output().size());
  }

  private boolean serverSide() {
    return noEndpoint || transport.kind() == TransportKind.WEBSOCKET;
  }
}
