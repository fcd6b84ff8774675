package dev.runner.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.runner.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code schemas/exec-events.schema.json} against real {@code codex exec --json} output and broken events. */
class ExecEventsSchemaTest {
  private static Schema events;

  @BeforeAll
  static void compile() {
    Path file = Path.of(System.getProperty("runner.projectDir"), "schemas", "exec-events.schema.json");
    Validators validators = new Validators();
    events = validators.compile(SchemaFile.read(file, validators));
  }

  private static List<Violation> check(String line) throws IOException {
    JsonNode event = SchemaFile.STRICT_JSON.readTree(line);
    return events.validate(event).stream().map(Validators::toViolation).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"codex-exec-json-events.jsonl", "codex-exec-json-events-tool.jsonl"})
  void everyCapturedCodexEventIsValid(String capture) throws IOException {
    Path file = Fixtures.file("conformance/captures/" + capture);
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
    for (String line : lines) {
      assertThat(check(line)).as(line).isEmpty();
    }
  }

  @Test
  void everyItemKindAndTopLevelEventIsAccepted() throws IOException {
    for (String line : List.of("{\"type\":\"turn.started\"}",
        "{\"type\":\"turn.failed\",\"error\":{\"message\":\"boom\"}}",
        "{\"type\":\"error\",\"message\":\"stream disconnected\"}",
        "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"reasoning\",\"text\":\"thinking\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"command_execution\",\"command\":\"ls\","
            + "\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"declined\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_5\",\"type\":\"file_change\","
            + "\"changes\":[{\"path\":\"a.txt\",\"kind\":\"add\"},{\"path\":\"b.txt\",\"kind\":\"delete\"}],"
            + "\"status\":\"completed\"}}",
        "{\"type\":\"item.updated\",\"item\":{\"id\":\"item_6\",\"type\":\"todo_list\","
            + "\"items\":[{\"text\":\"read\",\"completed\":true},{\"text\":\"fix\",\"completed\":false}]}}")) {
      assertThat(check(line)).as(line).isEmpty();
    }
  }

  @Test
  void unknownEventTypeIsRejectedAtType() throws IOException {
    assertThat(check("{\"type\":\"turn.finished\"}")).extracting(Violation::pointer, Violation::keyword)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/type", "enum"));
  }

  @Test
  void missingFieldsAreReportedForTheirOwnKindOnly() throws IOException {
    assertThat(check("{\"type\":\"thread.started\"}")).singleElement()
        .satisfies(v -> assertThat(v.toString()).isEqualTo("(root): required property 'thread_id' not found"
            + " (required)"));
    assertThat(check("{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"cached_input_tokens\":0,"
        + "\"reasoning_output_tokens\":0}}")).extracting(Violation::pointer, Violation::keyword)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/usage", "required"));
  }

  @Test
  void badItemsArePointedAt() throws IOException {
    assertThat(check("{\"type\":\"item.completed\",\"item\":{\"id\":\"1\",\"type\":\"agent_message\",\"text\":\"x\"}}"))
        .extracting(Violation::pointer, Violation::keyword)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/item/id", "pattern"));
    assertThat(check("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"command_execution\","
        + "\"command\":\"ls\",\"aggregated_output\":\"\",\"exit_code\":\"0\",\"status\":\"done\"}}"))
        .extracting(Violation::pointer, Violation::keyword)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/item/exit_code", "type"),
            org.assertj.core.groups.Tuple.tuple("/item/status", "enum"));
    assertThat(check("{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"file_change\","
        + "\"changes\":[{\"path\":\"a\",\"kind\":\"rename\"}],\"status\":\"completed\"}}"))
        .extracting(Violation::pointer)
        .containsExactly("/item/changes/0/kind");
    assertThat(check("{\"type\":\"item.started\"}")).extracting(Violation::keyword).containsExactly("required");
  }
}
