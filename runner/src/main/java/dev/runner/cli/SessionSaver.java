package dev.runner.cli;

import dev.runner.loop.LoopListener;
import dev.runner.loop.ResponseMark;
import dev.runner.protocol.Item;
import dev.runner.session.SavedSession;
import dev.runner.session.SessionStore;
import dev.runner.transport.TransportKind;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Saves the run's conversation when the loop ends (also after a failure, so that it can be resumed). */
final class SessionSaver implements LoopListener {
  private final SessionStore store;
  private final SessionStart session;
  private final SessionStore.Meta meta;
  private final Instant started;
  private final PrintWriter err;
  /** The conversation's latest response, as the loop reported it; null until then. */
  private SavedSession.LastResponse last;

  SessionSaver(SessionStore store, SessionStart session, SessionStore.Meta meta, Instant started, PrintWriter err) {
    this.store = store;
    this.session = session;
    this.meta = meta;
    this.started = started;
    this.err = err;
  }

  @Override
  public void lastResponse(ResponseMark mark, TransportKind transport, boolean stored) {
    SavedSession.LastResponse resumed = session.lastResponse();
    if (transport == null && resumed != null && resumed.id().equals(mark.id())) {
      last = resumed; // no response completed in this run: the saved one is still the latest, as it was recorded
      return;
    }
    last = new SavedSession.LastResponse(mark.id(), mark.items(), stored,
        transport == null ? null : transport.name().toLowerCase(java.util.Locale.ROOT), meta.provider(), meta.model());
  }

  @Override
  public void conversationEnded(List<Item> items) {
    try {
      store.save(session.file(), meta, started, items, last);
    } catch (UncheckedIOException e) {
      // the answer matters more than its record: say so and let the run finish
      err.println("runner: warning: " + e.getMessage() + "; this session cannot be resumed");
    }
  }
}
