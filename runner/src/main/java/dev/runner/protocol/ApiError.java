package dev.runner.protocol;

/**
 * An error as the service reports it: the HTTP error body {@code {"error":{message,type,param,code}}}, an SSE {@code
 * error} event, a WebSocket {@code {type:"error", status, error:{...}}} frame, or {@code response.failed}'s error.
 *
 * @param status HTTP-like status, 0 when the wire carried none
 * @param type e.g. {@code invalid_request_error}, may be null
 * @param code e.g. {@code previous_response_not_found}, {@code rate_limit_exceeded}, may be null
 * @param message human text, may be null
 * @param param the request field at fault, may be null
 */
public record ApiError(int status, String type, String code, String message, String param) {
  /** One line for logs and error messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (status > 0) {
      sb.append(status);
    }
    String label = code != null ? code : type;
    if (label != null) {
      sb.append(sb.isEmpty() ? "" : " ").append(label);
    }
    if (message != null) {
      // "422 code: message", or "422 message" when the body named no code (problem details, plain text)
      sb.append(label != null ? ": " : sb.isEmpty() ? "" : " ").append(message);
    }
    if (param != null && !param.isBlank()) {
      sb.append(" (param: ").append(param).append(')');
    }
    return sb.isEmpty() ? "unknown error" : sb.toString();
  }
}
