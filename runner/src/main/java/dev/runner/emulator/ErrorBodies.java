package dev.runner.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.Json;
import java.util.Map;

/** The service's error shapes: the HTTP body {@code {"error":{...}}} and the WebSocket {@code error} event. */
final class ErrorBodies {
  private ErrorBodies() {}

  /** {@code {"error":{"message","type","param","code"}}}, every key present (nullable ones as null). */
  static String http(ApiError e) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.set("error", payload(e));
    return root.toString();
  }

  /** {@code {type:"error", status, error:{type,code,message,param}, headers?, stream_id?}}. */
  static ObjectNode websocket(ApiError e, Map<String, String> headers, String streamId) {
    ObjectNode root = Json.MAPPER.createObjectNode().put("type", "error").put("status", e.status());
    root.set("error", payload(e));
    if (!headers.isEmpty()) {
      ObjectNode h = root.putObject("headers");
      headers.forEach(h::put);
    }
    if (streamId != null) {
      root.put("stream_id", streamId);
    }
    return root;
  }

  private static ObjectNode payload(ApiError e) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("message", e.message() == null ? "" : e.message());
    p.put("type", e.type() == null ? "invalid_request_error" : e.type());
    p.put("param", e.param());
    p.put("code", e.code());
    return p;
  }

  static ApiError unauthorized() {
    return new ApiError(401, "invalid_request_error", "invalid_api_key",
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
            + "auth (i.e. Authorization: Bearer YOUR_KEY).",
        null);
  }

  /** 401 for an admin request without a bearer token (the service has no such endpoint to copy). */
  static ApiError adminUnauthorized() {
    return new ApiError(401, "invalid_request_error", "invalid_api_key",
        "The emulator's admin endpoints (/emulator/*) need an Authorization: Bearer header with any non-empty value, "
            + "also when the emulator runs with --no-auth.",
        null);
  }

  /**
   * 403 for an admin request that looks like a web page's: an {@code Origin} header, or a {@code Host} that is not
   * loopback at a loopback emulator (DNS rebinding).
   */
  static ApiError adminFromBrowser() {
    return new ApiError(403, "invalid_request_error", "origin_not_allowed",
        "The emulator's admin endpoints (/emulator/*) are for scripts, not web pages: requests with an Origin header, "
            + "or (on a loopback emulator) a Host header that is not a loopback address or localhost, are refused.",
        null);
  }

  static ApiError malformedJson(java.io.IOException e) {
    String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        ? j.getOriginalMessage()
        : e.getMessage();
    return new ApiError(400, "invalid_request_error", "invalid_json",
        "We could not parse the JSON body of your request. (" + detail + ")", null);
  }
}
