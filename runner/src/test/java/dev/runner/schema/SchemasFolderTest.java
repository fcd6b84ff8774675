package dev.runner.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file under the top-level {@code schemas/} folder is a documented, valid schema; examples behave as README says. */
class SchemasFolderTest {
  private static final Path SCHEMAS = Path.of(System.getProperty("runner.projectDir"), "schemas");

  @Test
  void everySchemaIsValidAndDocumented() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SCHEMAS)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    Validators validators = new Validators();
    for (Path file : files) {
      JsonNode schema = SchemaFile.read(file, validators);
      String relative = SCHEMAS.relativize(file).toString().replace('\\', '/');
      assertThat(schema.path("$schema").asText()).as(relative)
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("$id").asText()).as(relative).isEqualTo("https://runner.dev/schemas/" + relative);
      assertThat(schema.path("title").asText()).as(relative).isNotBlank();
      assertThat(schema.path("description").asText()).as(relative).isNotBlank();
      validators.compile(schema);
    }
  }

  @Test
  void strictReadyExamplesAreSentUnchanged() {
    for (String name : List.of("repo-summary.json", "review.json")) {
      OutputSchema schema = OutputSchema.load(SCHEMAS.resolve("examples").resolve(name));
      assertThat(schema.strict()).as(name).isTrue();
      assertThat(schema.warnings()).as(name).isEmpty();
    }
  }

  @Test
  void repoSummaryAcceptsWhatTheDemoScenarioFillsIn() {
    OutputSchema schema = OutputSchema.load(SCHEMAS.resolve("examples/repo-summary.json"));
    assertThat(schema.validate("{\"summary\":\"A Maven project.\",\"file_count\":4,\"files\":[\"pom.xml\",\"mvnw\"],"
        + "\"languages\":[\"Java\"]}").valid()).isTrue();
    assertThat(schema.validate("{\"summary\":\"x\",\"file_count\":-1,\"files\":[],\"languages\":[],\"extra\":1}")
        .violations()).extracting(Violation::pointer).containsExactlyInAnyOrder("/file_count", "");
  }

  @Test
  void looseExampleIsNormalizedWithOneWarningPerChange() {
    OutputSchema schema = OutputSchema.load(SCHEMAS.resolve("examples/loose.json"));
    assertThat(schema.strict()).isTrue();
    assertThat(schema.warnings()).containsExactly(
        "output schema: (root): added \"additionalProperties\": false (strict mode forbids undeclared properties)",
        "output schema: (root): made optional properties confidence, sources required (strict mode requires every"
            + " property, so the model will always fill them; add \"null\" to a property's type to let it answer null)",
        "output schema: /properties/sources/items: added \"additionalProperties\": false (strict mode forbids"
            + " undeclared properties)",
        "output schema: /properties/sources/items: made optional property note required (strict mode requires every"
            + " property, so the model will always fill it; add \"null\" to a property's type to let it answer null)");
    assertThat(schema.validate("{\"answer\":\"42\"}").valid()).isTrue();
  }
}
