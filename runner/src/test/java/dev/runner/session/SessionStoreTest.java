package dev.runner.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.protocol.Item;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
  @TempDir
  Path root;

  @Test
  void aSavedSessionReadsBackWithItsItemsAndIsFoundByIdPrefixAndFolder() throws Exception {
    SessionStore store = new SessionStore(root);
    String id = "0b7c1d2e-0000-4000-8000-000000000001";
    Instant start = Instant.parse("2026-12-07T20:00:00Z");
    Path file = store.newFile(id, start);
    assertThat(root.relativize(file).toString())
        .isEqualTo("2026/12/07/rollout-2026-12-07T20-00-00-" + id + ".jsonl");
    List<Item> items = List.of(Item.Message.user("task"),
        new Item.Reasoning("rs_1", List.of("thinking"), "ENC"),
        new Item.FunctionCall("fc_1", "call_1", "shell", "{}", "completed"),
        new Item.FunctionCallOutput("call_1", "ok"));
    store.save(file, new SessionStore.Meta(id, Path.of("/work/x"), "m", "openai", "exec", null, "1.0"), start, items);
    assertThat(Files.readAllLines(file).getFirst()).contains("\"type\":\"session_meta\"")
        .contains("\"cwd\":\"/work/x\"");
    SavedSession read = store.read(file);
    assertThat(read.id()).isEqualTo(id);
    assertThat(read.cwd()).isEqualTo(Path.of("/work/x"));
    assertThat(read.model()).isEqualTo("m");
    assertThat(read.items()).isEqualTo(items);
    assertThat(store.find("0b7c1d2e")).containsExactly(file);
    assertThat(store.find("ffff")).isEmpty();
    assertThat(store.last(Path.of("/work/x"))).contains(file);
    assertThat(store.last(Path.of("/elsewhere"))).isEmpty();
    assertThat(store.last(null)).contains(file);
  }

  @Test
  void theLastResponseIsRecordedAndAFileWithoutItReadsWithNone() throws Exception {
    SessionStore store = new SessionStore(root);
    String id = "0b7c1d2e-0000-4000-8000-000000000002";
    Instant start = Instant.parse("2026-12-07T20:00:00Z");
    Path file = store.newFile(id, start);
    List<Item> items = List.of(Item.Message.user("task"), Item.Message.user("more"));
    SessionStore.Meta meta = new SessionStore.Meta(id, Path.of("/work/x"), "m", "openai", "exec", null, "1.0");
    SavedSession.LastResponse last = new SavedSession.LastResponse("resp_1", 1, true, "websocket", "openai", "m");
    store.save(file, meta, start, items, last);
    assertThat(Files.readString(file)).contains("\"last_response\":{\"id\":\"resp_1\",\"items\":1,\"store\":true,"
        + "\"transport\":\"websocket\",\"provider\":\"openai\",\"model\":\"m\"}");
    assertThat(store.read(file).lastResponse()).isEqualTo(last);

    store.save(file, meta, start, items);
    assertThat(Files.readString(file)).doesNotContain("last_response");
    assertThat(store.read(file).lastResponse()).isNull();
    assertThat(store.read(file).items()).isEqualTo(items);

    // a record that claims more items than the file holds is not trusted
    store.save(file, meta, start, items, new SavedSession.LastResponse("resp_2", 3, true, "http", "openai", "m"));
    assertThat(store.read(file).lastResponse()).isNull();
  }
}
