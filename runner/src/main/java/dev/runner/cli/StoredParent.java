package dev.runner.cli;

import dev.runner.loop.ResponseMark;
import dev.runner.session.SavedSession;
import java.util.Objects;

/**
 * Whether a resumed or forked session's first request may chain from the saved session's last response ({@code
 * previous_response_id} and only the new items) instead of resending the conversation. Only a response created with
 * {@code store: true} outlives the connection that made it, and only a request that also stores may read it (a {@code
 * store: false} request finds nothing but its own socket's latest response), so chaining needs both; a different
 * provider is a different service, and a different model would continue another model's reasoning. Any other case
 * resends in full at once rather than sending a request bound to fail.
 *
 * @param parent the response to chain from, or null to resend in full
 * @param reason why, for {@code -v}
 */
record StoredParent(ResponseMark parent, String reason) {

  /**
   * Decides for {@code saved} (null for a new session) as this run will send: to {@code provider} and {@code model},
   * storing its responses or not ({@code storing}), over {@code history} of the saved conversation; {@code
   * startsEmpty} when the provider is a server this run starts (the embedded emulator), which holds nothing yet.
   */
  static StoredParent of(SavedSession.LastResponse saved, int historyItems, String provider, String model,
      boolean storing, boolean startsEmpty) {
    if (saved == null) {
      return resend("the saved session records no response to continue from");
    }
    if (!saved.stored()) {
      return resend("its last response " + saved.id() + " was not stored (store_responses is off)");
    }
    if (!storing) {
      return resend("this run does not store responses (store_responses=false), and only a storing request may"
          + " continue a stored one");
    }
    if (!Objects.equals(saved.provider(), provider)) {
      return resend("its last response came from provider " + saved.provider() + ", this run uses " + provider);
    }
    if (!Objects.equals(saved.model(), model)) {
      return resend("its last response came from model " + saved.model() + ", this run uses " + model);
    }
    if (startsEmpty) {
      return resend("provider " + provider + " is started by this run and holds no earlier response");
    }
    if (saved.items() > historyItems) {
      return resend("its last response covers more items than the saved conversation holds");
    }
    return new StoredParent(new ResponseMark(saved.id(), saved.items()), "continuing from stored response "
        + saved.id() + " with the " + (historyItems - saved.items()) + " saved item(s) after it and the new input");
  }

  private static StoredParent resend(String why) {
    return new StoredParent(null, "resending the saved conversation in full: " + why);
  }
}
