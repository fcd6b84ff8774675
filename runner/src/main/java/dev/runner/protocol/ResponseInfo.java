package dev.runner.protocol;

import java.util.List;

/**
 * The parts of a {@code Response} object a client acts on, as carried by {@code response.created}, {@code
 * response.completed}, {@code response.failed} and {@code response.incomplete}.
 *
 * @param id the response id ({@code resp_...}), chained from with {@code previous_response_id}
 * @param status {@code in_progress}, {@code completed}, {@code failed}, {@code incomplete}, ...
 * @param output output items as listed in the Response; a turn takes its items from {@code output_item.done} events
 *     and falls back to these only when a server streamed none
 * @param usage token counts, {@link Usage#ZERO} when absent
 * @param error set for {@code failed}
 * @param incompleteReason {@code incomplete_details.reason} for {@code incomplete}
 */
public record ResponseInfo(
    String id, String status, List<Item> output, Usage usage, ApiError error, String incompleteReason) {
  public ResponseInfo {
    output = List.copyOf(output);
  }
}
