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
 */
public record SavedSession(String id, Path file, Path cwd, String model, List<Item> items) {
  public SavedSession {
    items = List.copyOf(items);
  }
}
