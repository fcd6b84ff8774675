package dev.runner.emulator;

import java.util.List;

/**
 * A snapshot of what the emulator saw since start or the last reset; served as JSON by {@code GET /emulator/stats}
 * with the same field names in snake_case.
 *
 * @param httpRequests {@code POST /v1/responses} requests
 * @param websocketRequests {@code response.create} frames
 * @param websocketHandshakes completed WebSocket upgrades
 * @param tcpConnections TCP connections accepted
 * @param http HTTP traffic (wire bytes include headers; frames = request bodies in, SSE events out)
 * @param websocket WebSocket traffic (wire bytes as sent, i.e. compressed when permessage-deflate is on, including the
 *     handshake; payload bytes = decoded text of data frames; frames = data frames)
 * @param fullCreates creates without {@code previous_response_id} (both transports)
 * @param incrementalCreates creates with {@code previous_response_id}
 * @param cacheHits incremental creates whose parent was in the connection (lane) cache
 * @param cacheMisses incremental creates whose parent was not there (resolved from the store, or an error)
 * @param injectedServerTimeMs total latency added by the latency model and scripted turns
 * @param faultsInjected faults injected
 * @param compactions compaction items produced: in a stream ({@code context_management}) or by {@code POST
 *     /v1/responses/compact}
 * @param compactRequests {@code POST /v1/responses/compact} requests
 * @param requestFirstByteMicros per create, in arrival order: epoch microseconds at which its first byte was read
 *     (the latest 10,000)
 * @param websocketCloses how WebSocket connections ended, counted by key: the status code of the client's close frame
 *     ({@code "1000"}), {@code "1006"} when the connection ended with no close frame from either side, {@code
 *     "server:CODE"} when the emulator sent the first close frame (age limit, injected faults), {@code "server:idle"}
 *     when it dropped the connection for idleness ({@link EmulatorOptions#websocketIdleClose}); sorted by key
 */
public record EmulatorStats(
    long httpRequests,
    long websocketRequests,
    long websocketHandshakes,
    long tcpConnections,
    Traffic http,
    Traffic websocket,
    long fullCreates,
    long incrementalCreates,
    long cacheHits,
    long cacheMisses,
    long injectedServerTimeMs,
    long faultsInjected,
    long compactions,
    long compactRequests,
    List<Long> requestFirstByteMicros,
    java.util.SortedMap<String, Long> websocketCloses) {

  public EmulatorStats {
    requestFirstByteMicros = List.copyOf(requestFirstByteMicros);
    websocketCloses = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(websocketCloses));
  }

  /** How many WebSocket connections ended with {@code key} (see {@link #websocketCloses}). */
  public long closes(String key) {
    return websocketCloses.getOrDefault(key, 0L);
  }

  /** Bytes and frames of one transport. */
  public record Traffic(long wireBytesIn, long wireBytesOut, long payloadBytesIn, long payloadBytesOut,
      long framesIn, long framesOut) {}
}
