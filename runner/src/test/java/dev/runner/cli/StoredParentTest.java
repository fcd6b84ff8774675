package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.loop.ResponseMark;
import dev.runner.session.SavedSession;
import org.junit.jupiter.api.Test;

class StoredParentTest {
  private static final SavedSession.LastResponse STORED = new SavedSession.LastResponse("resp_9", 4, true, "websocket",
      "openai", "gpt-5.1-codex");

  @Test
  void aStoredResponseOfTheSameProviderAndModelIsChainedFromWhenThisRunStoresToo() {
    StoredParent p = StoredParent.of(STORED, 6, "openai", "gpt-5.1-codex", true, false);
    assertThat(p.parent()).isEqualTo(new ResponseMark("resp_9", 4));
    assertThat(p.reason()).contains("resp_9").contains("2 saved item(s) after it");
    // the wire it came on does not matter: a stored response is the service's, not a socket's
    SavedSession.LastResponse overHttp = new SavedSession.LastResponse("resp_9", 4, true, "http", "openai",
        "gpt-5.1-codex");
    assertThat(StoredParent.of(overHttp, 4, "openai", "gpt-5.1-codex", true, false).parent()).isNotNull();
  }

  @Test
  void everyOtherCaseResendsInFullAndSaysWhy() {
    assertThat(StoredParent.of(null, 3, "openai", "m", true, false)).satisfies(p -> {
      assertThat(p.parent()).isNull();
      assertThat(p.reason()).contains("records no response");
    });
    SavedSession.LastResponse unstored = new SavedSession.LastResponse("resp_9", 4, false, "websocket", "openai",
        "gpt-5.1-codex");
    assertThat(StoredParent.of(unstored, 4, "openai", "gpt-5.1-codex", true, false).reason())
        .contains("was not stored");
    assertThat(StoredParent.of(STORED, 4, "openai", "gpt-5.1-codex", false, false).reason())
        .contains("this run does not store");
    assertThat(StoredParent.of(STORED, 4, "azure", "gpt-5.1-codex", true, false).reason()).contains("provider openai");
    assertThat(StoredParent.of(STORED, 4, "openai", "gpt-5", true, false).reason()).contains("model gpt-5.1-codex");
    assertThat(StoredParent.of(STORED, 3, "openai", "gpt-5.1-codex", true, false).parent()).isNull();
    SavedSession.LastResponse embedded = new SavedSession.LastResponse("resp_9", 4, true, "websocket", "emulator",
        "gpt-5.1-codex");
    assertThat(StoredParent.of(embedded, 4, "emulator", "gpt-5.1-codex", true, true).reason())
        .contains("started by this run");
  }
}
