package dev.runner.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;

/** {@link EmulatorStats} as the snake_case JSON of {@code GET /emulator/stats}. */
final class StatsJson {
  private StatsJson() {}

  static String write(EmulatorStats s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode requests = o.putObject("requests");
    requests.put("http", s.httpRequests()).put("websocket", s.websocketRequests());
    o.put("websocket_handshakes", s.websocketHandshakes());
    o.put("tcp_connections", s.tcpConnections());
    traffic(o.putObject("http"), s.http());
    traffic(o.putObject("websocket"), s.websocket());
    o.put("full_creates", s.fullCreates()).put("incremental_creates", s.incrementalCreates());
    o.put("cache_hits", s.cacheHits()).put("cache_misses", s.cacheMisses());
    o.put("injected_server_time_ms", s.injectedServerTimeMs());
    o.put("faults_injected", s.faultsInjected());
    o.put("compactions", s.compactions()).put("compact_requests", s.compactRequests());
    ArrayNode stamps = o.putArray("request_first_byte_micros");
    s.requestFirstByteMicros().forEach(stamps::add);
    ObjectNode closes = o.putObject("websocket_closes");
    s.websocketCloses().forEach(closes::put);
    return o.toString();
  }

  private static void traffic(ObjectNode o, EmulatorStats.Traffic t) {
    o.put("wire_bytes_in", t.wireBytesIn()).put("wire_bytes_out", t.wireBytesOut());
    o.put("payload_bytes_in", t.payloadBytesIn()).put("payload_bytes_out", t.payloadBytesOut());
    o.put("frames_in", t.framesIn()).put("frames_out", t.framesOut());
  }
}
