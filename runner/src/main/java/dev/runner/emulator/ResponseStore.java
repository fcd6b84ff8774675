package dev.runner.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-wide store of responses created with {@code store} true (the API default), bounded: the oldest entries
 * are dropped first, as a real store would expire them. Thread-safe.
 */
final class ResponseStore {
  private final Map<String, StoredResponse> entries;

  ResponseStore(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StoredResponse> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void put(StoredResponse r) {
    entries.put(r.id(), r);
  }

  synchronized StoredResponse get(String id) {
    return entries.get(id);
  }

  synchronized void clear() {
    entries.clear();
  }
}
