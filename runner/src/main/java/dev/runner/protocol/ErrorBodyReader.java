package dev.runner.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an HTTP error answer into an {@link ApiError} whose {@link ApiError#describe()} says what a user needs. Knows
 * the OpenAI body ({@code {"error":{message, type, code, param}}}), RFC 9457 problem details ({@code title},
 * {@code detail} and the first few entries of {@code violations}/{@code errors}/{@code invalid_params}, as gateways
 * in front of the API answer), a bare {@code {"message"}} and plain text (the start of it, e.g. a proxy's page).
 */
public final class ErrorBodyReader {
  /** Violations quoted in the message; the rest are counted. */
  static final int VIOLATIONS = 3;
  /** Characters of a non-JSON body quoted in the message. */
  static final int TEXT_CHARS = 200;
  /** Characters of a raw body logged with {@code -v}. */
  static final int RAW_CHARS = 8192;

  private ErrorBodyReader() {}

  /** Never null: a body that says nothing gives an error with only the status. */
  public static ApiError read(int status, String body) {
    String text = body == null ? "" : body.strip();
    JsonNode node = null;
    if (text.startsWith("{")) {
      try {
        node = Json.MAPPER.readTree(text);
      } catch (IOException e) {
        node = null;
      }
    }
    if (node == null || !node.isObject()) {
      return new ApiError(status, null, null, text.isEmpty() ? null : oneLine(text, TEXT_CHARS), null);
    }
    JsonNode error = node.get("error");
    if (error != null && error.isObject()) {
      return new ApiError(status, str(error, "type"), str(error, "code"), str(error, "message"), str(error, "param"));
    }
    if (error != null && error.isTextual()) {
      return new ApiError(status, null, str(node, "code"), error.asText(), null);
    }
    if (node.has("title") || node.has("detail") || node.has("violations") || node.has("invalid_params")) {
      return new ApiError(status, null, null, problem(node), null);
    }
    String message = str(node, "message");
    return new ApiError(status, str(node, "type"), str(node, "code"), message != null
        ? message
        : oneLine(text, TEXT_CHARS), str(node, "param"));
  }

  /** {@code title: detail; first violations: field: message, ...}. */
  static String problem(JsonNode p) {
    StringBuilder sb = new StringBuilder();
    String title = str(p, "title");
    String detail = str(p, "detail");
    if (title != null) {
      sb.append(title);
    }
    if (detail != null && !detail.equals(title)) {
      sb.append(sb.isEmpty() ? "" : ": ").append(detail);
    }
    List<String> violations = new ArrayList<>();
    int total = 0;
    for (String key : new String[]{"violations", "errors", "invalid_params"}) {
      for (JsonNode v : p.path(key)) {
        total++;
        if (violations.size() < VIOLATIONS) {
          violations.add(violation(v));
        }
      }
    }
    if (!violations.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : "; ").append(total == 1 ? "violation: " : "violations: ")
          .append(String.join(", ", violations));
      if (total > violations.size()) {
        sb.append(" (+").append(total - violations.size()).append(" more)");
      }
    }
    if (sb.isEmpty()) {
      String type = str(p, "type");
      sb.append(type != null ? type : p.toString());
    }
    return oneLine(sb.toString(), 1000);
  }

  private static String violation(JsonNode v) {
    if (!v.isObject()) {
      return v.asText();
    }
    String where = first(v, "field", "name", "pointer", "path", "parameter", "propertyPath");
    String what = first(v, "message", "reason", "detail", "title", "description");
    if (where == null) {
      return what != null ? what : v.toString();
    }
    return what == null ? where : where + ": " + what;
  }

  private static String first(JsonNode v, String... keys) {
    for (String k : keys) {
      String s = str(v, k);
      if (s != null && !s.isBlank()) {
        return s;
      }
    }
    return null;
  }

  /** The body as received, for {@code -v}: cut at {@link #RAW_CHARS} characters so a proxy's page cannot flood. */
  public static String raw(String body) {
    if (body == null || body.isEmpty()) {
      return "(empty)";
    }
    return body.length() > RAW_CHARS ? body.substring(0, RAW_CHARS) + "… (" + body.length() + " chars)" : body;
  }

  private static String str(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  private static String oneLine(String text, int max) {
    String s = text.replaceAll("\\s+", " ").strip();
    return s.length() > max ? s.substring(0, max) + "…" : s;
  }
}
