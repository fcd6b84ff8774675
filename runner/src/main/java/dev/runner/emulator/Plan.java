package dev.runner.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.ApiError;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the server does for one create, independent of the transport that carries it. */
sealed interface Plan {
  /**
   * Refuse before streaming: an HTTP error response, or a WebSocket {@code error} event.
   *
   * @param error status, type, code, message, param
   * @param headers extra HTTP headers (e.g. {@code retry-after}); WebSocket errors carry them in {@code headers}
   * @param fault the injected fault, or null when the request itself was at fault
   */
  record Reject(ApiError error, Map<String, String> headers, FaultKind fault, Body body) implements Plan {
    public Reject {
      headers = Map.copyOf(headers);
    }

    /** A refusal with the service's own error body. */
    public Reject(ApiError error, Map<String, String> headers, FaultKind fault) {
      this(error, headers, fault, null);
    }
  }

  /**
   * A scripted HTTP error body sent as written (e.g. {@code application/problem+json} from a gateway); WebSocket
   * clients get the {@code error} event built from {@link Reject#error()} instead.
   */
  record Body(String contentType, String text) {}

  /**
   * Stream these steps in order.
   *
   * @param steps events and faults, each with the delay before it
   * @param failed true when the stream ends in {@code response.failed}/{@code incomplete} or is cut by a fault
   */
  record Run(List<Step> steps, boolean failed) implements Plan {
    public Run {
      steps = List.copyOf(steps);
    }
  }

  /** One thing to send. */
  sealed interface Step {
    Duration delay();

    /** A server event (SSE {@code data} / one WebSocket text frame). */
    record Event(ObjectNode json, Duration delay) implements Step {}

    /** A transport-level fault: what exactly happens depends on the transport. */
    record Fault(FaultKind kind, Duration delay) implements Step {}
  }
}
