package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A completed response as a parent for {@code previous_response_id}: its whole conversation (input and output).
 *
 * @param id the response id
 * @param items the conversation up to and including this response's output
 * @param bytes rendered size of {@code items}, the part of a child's input that is "cached"
 * @param settings the request's {@code instructions} and {@code tools}: a child that sends the same ones on the same
 *     connection reuses their prefill, as the service reuses a cached prefix
 */
record StoredResponse(String id, List<JsonNode> items, long bytes, List<JsonNode> settings) {
  StoredResponse {
    items = List.copyOf(items);
  }
}
