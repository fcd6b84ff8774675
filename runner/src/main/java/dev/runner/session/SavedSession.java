package dev.runner.session;

import dev.runner.protocol.Item;
import java.nio.file.Path;
import java.util.List;

/**
 * A session read back from its file.
 *
 * @param id the session id (a UUID)
 * @param file where it is stored
 * @param cwd the working directory it ran in
 * @param model the model of its last run
 * @param items its conversation, oldest first
 * @param lastResponse its latest response, or null (none completed, or a file written before runs recorded it)
 */
public record SavedSession(String id, Path file, Path cwd, String model, List<Item> items, LastResponse lastResponse) {
  public SavedSession {
    items = List.copyOf(items);
    if (lastResponse != null && lastResponse.items() > items.size()) {
      lastResponse = null; // a record that does not fit the conversation cannot be chained from
    }
  }

  public SavedSession(String id, Path file, Path cwd, String model, List<Item> items) {
    this(id, file, cwd, model, items, null);
  }

  /**
   * The latest response of a saved conversation, enough to decide whether a continuation may send {@code
   * previous_response_id} instead of the conversation.
   *
   * @param id the response id
   * @param items how many of the conversation's items, from the start, the response covers (its context and output)
   * @param stored whether it was created with {@code store: true}: only then can a new connection chain from it
   * @param transport {@code websocket} or {@code http}: the wire it came on
   * @param provider the provider id it came from
   * @param model the model that made it
   */
  public record LastResponse(String id, int items, boolean stored, String transport, String provider, String model) {}
}
