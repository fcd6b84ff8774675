package dev.runner.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSchemaValidateTest {
  private static final String REVIEW = """
      {
        "type": "object",
        "properties": {
          "verdict": {"enum": ["approve", "request_changes"]},
          "when": {"type": "string", "format": "date"},
          "findings": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {"file": {"type": "string"}, "line": {"type": "integer", "minimum": 1}},
              "required": ["file", "line"]
            }
          }
        },
        "required": ["verdict", "findings"]
      }
      """;

  @TempDir
  Path dir;

  OutputSchema schema;

  @BeforeEach
  void load() throws IOException {
    schema = OutputSchema.load(Files.writeString(dir.resolve("review.json"), REVIEW));
  }

  @Test
  void conformingAnswerIsValid() {
    ValidationResult result = schema.validate("""
        {"verdict": "approve", "findings": [{"file": "a.java", "line": 3}]}
        """);
    assertThat(result.valid()).isTrue();
    assertThat(result.value().at("/findings/0/line").asInt()).isEqualTo(3);
    assertThat(result.summary()).isEqualTo("valid");
  }

  @Test
  void eachViolationHasItsPointerAndKeyword() {
    ValidationResult result = schema.validate("""
        {"verdict": "maybe", "when": "yesterday",
         "findings": [{"file": "a.java", "line": 3}, {"file": 7, "line": 0}, {"line": 2}]}
        """);
    assertThat(result.valid()).isFalse();
    assertThat(result.notJson()).isFalse();
    assertThat(result.violations()).extracting(Violation::pointer, Violation::keyword)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/verdict", "enum"),
            org.assertj.core.groups.Tuple.tuple("/when", "format"),
            org.assertj.core.groups.Tuple.tuple("/findings/1/file", "type"),
            org.assertj.core.groups.Tuple.tuple("/findings/1/line", "minimum"),
            org.assertj.core.groups.Tuple.tuple("/findings/2", "required"));
    assertThat(result.summary()).startsWith("the final answer violates the output schema: ");
  }

  @Test
  void missingRootPropertyIsReportedAtTheRoot() {
    ValidationResult result = schema.validate("{\"verdict\": \"approve\"}");
    assertThat(result.violations()).singleElement().satisfies(v -> {
      assertThat(v.pointer()).isEmpty();
      assertThat(v.keyword()).isEqualTo("required");
      assertThat(v.toString()).isEqualTo("(root): required property 'findings' not found (required)");
    });
  }

  @Test
  void validationUsesTheOriginalSchemaNotTheStrictOne() {
    // Strict normalization made "when" required and closed the objects; the original allows both.
    assertThat(schema.sentSchema().at("/required").toString()).contains("when");
    assertThat(schema.validate("{\"verdict\": \"approve\", \"findings\": [], \"extra\": true}").valid()).isTrue();
  }

  @Test
  void fencedJsonIsReportedAsNotJsonAndSaysWhy() {
    ValidationResult result = schema.validate("```json\n{\"verdict\": \"approve\", \"findings\": []}\n```");
    assertThat(result.notJson()).isTrue();
    assertThat(result.value()).isNull();
    assertThat(result.parseError()).contains("Markdown code fence");
    assertThat(result.summary()).startsWith("the final answer is not valid JSON: the JSON is wrapped in a Markdown");
  }

  @Test
  void proseAndTrailingTextAreNotJson() {
    assertThat(schema.validate("Here you go: {}").parseError())
        .startsWith("at line 1, column 1: Unrecognized token 'Here'");
    assertThat(schema.validate("{\"verdict\": \"approve\", \"findings\": []}\nDone.").parseError())
        .startsWith("at line 2, column ");
    assertThat(schema.validate("  ").parseError()).isEqualTo("the answer is empty");
  }

  @Test
  void repairPromptListsEachProblemWithItsPointer() {
    String prompt = schema.repairPrompt(schema.validate("{\"verdict\": \"maybe\", \"findings\": [{\"file\": 1,"
        + " \"line\": 2}]}"));
    assertThat(prompt).startsWith("Your previous answer was rejected because it does not satisfy the required JSON"
        + " Schema");
    assertThat(prompt).contains("\n- /verdict: ").contains("(keyword \"enum\")\n");
    assertThat(prompt).contains("\n- /findings/0/file: integer found, string expected (keyword \"type\")\n");
    assertThat(prompt).endsWith("Answer again with only a JSON value that satisfies the schema: no explanation, no"
        + " Markdown code fence, nothing before or after the JSON.");
  }

  @Test
  void repairPromptForNonJsonQuotesTheParseError() {
    String prompt = schema.repairPrompt(schema.validate("```json\n{}\n```"));
    assertThat(prompt).startsWith("Your previous answer was rejected because it is not valid JSON: the JSON is"
        + " wrapped in a Markdown code fence");
    assertThat(prompt).doesNotContain("\n- ");
  }

  @Test
  void repairPromptCapsALongListOfProblems() {
    StringBuilder findings = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      findings.append(i == 0 ? "" : ",").append("{\"file\": 1, \"line\": 1}");
    }
    ValidationResult result = schema.validate("{\"verdict\": \"approve\", \"findings\": [" + findings + "]}");
    assertThat(result.violations()).hasSize(25);
    String prompt = schema.repairPrompt(result);
    assertThat(prompt.lines().filter(l -> l.startsWith("- /findings/"))).hasSize(RepairPrompt.LIST_LIMIT);
    assertThat(prompt).contains("- and 5 more problems\n");
    assertThat(result.summary()).endsWith("; and 20 more");
  }

  @Test
  void validAnswerNeedsNoRepair() {
    ValidationResult valid = schema.validate("{\"verdict\": \"approve\", \"findings\": []}");
    assertThatThrownBy(() -> schema.repairPrompt(valid)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failureIsASchemaViolationNamingTheSchemaFile() {
    RunnerException e = schema.failure(schema.validate("{}"));
    assertThat(e.exitCode()).isEqualTo(ExitCode.SCHEMA_VIOLATION);
    assertThat(e.getMessage()).startsWith("the final answer violates the output schema: (root): required property")
        .endsWith("(schema " + dir.resolve("review.json") + ")");
    assertThat(e.hint()).isNotBlank();
  }
}
