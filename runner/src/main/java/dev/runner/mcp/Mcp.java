package dev.runner.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runner.protocol.Json;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;

/** The JSON mappers of this package: the runner's own, and the SDK's view of it. */
final class Mcp {
  static final ObjectMapper JSON = Json.MAPPER;

  private Mcp() {}

  /** The SDK's mapper over a copy of the runner's, so the SDK's settings never reach the runner's. */
  static McpJsonMapper sdkMapper() {
    return new JacksonMcpJsonMapper(JSON.copy());
  }
}
