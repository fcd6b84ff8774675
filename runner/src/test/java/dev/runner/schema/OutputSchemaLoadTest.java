package dev.runner.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSchemaLoadTest {
  @TempDir
  Path dir;

  private Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("schema.json"), json);
  }

  private RunnerException loadFailure(Path file) {
    Throwable thrown = catchThrowable(() -> OutputSchema.load(file));
    assertThat(thrown).isInstanceOf(RunnerException.class);
    RunnerException e = (RunnerException) thrown;
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.hint()).isNotBlank();
    return e;
  }

  @Test
  void missingFileNamesThePath() {
    Path missing = dir.resolve("nope.json");
    assertThat(loadFailure(missing).getMessage()).isEqualTo("output schema file " + missing + " does not exist");
  }

  @Test
  void directoryIsReportedAsUnreadable() {
    assertThat(loadFailure(dir).getMessage()).startsWith("cannot read output schema file " + dir);
  }

  @Test
  void badJsonNamesLineAndColumn() throws IOException {
    Path file = write("{\n  \"type\": \"object\",\n  \"properties\": {\"a\": {\"type\": \"string\"},}\n}\n");
    String message = loadFailure(file).getMessage();
    assertThat(message).startsWith("output schema " + file + " is not valid JSON at line 3, column ");
    assertThat(message).contains("Unexpected character ('}'");
  }

  @Test
  void duplicateKeysAreBadJson() throws IOException {
    Path file = write("{\"type\": \"object\", \"type\": \"string\"}");
    assertThat(loadFailure(file).getMessage()).contains("is not valid JSON at line 1")
        .contains("Duplicate field 'type'");
  }

  @Test
  void emptyFileIsReported() throws IOException {
    Path file = write("  \n");
    assertThat(loadFailure(file).getMessage()).isEqualTo("output schema " + file + " is empty");
  }

  @Test
  void nonObjectRootIsReported() throws IOException {
    Path file = write("[1, 2]");
    assertThat(loadFailure(file).getMessage()).isEqualTo("output schema " + file
        + " must be a JSON object (a JSON Schema), found array");
  }

  @Test
  void invalidSchemaNamesKeywordAndPointer() throws IOException {
    Path file = write("{\"type\": 12}");
    String message = loadFailure(file).getMessage();
    assertThat(message).startsWith("output schema " + file + " is not a valid JSON Schema (draft 2020-12): /type: ");
    assertThat(message).contains("(enum)");
  }

  @Test
  void nestedInvalidSchemaPointsIntoTheFile() throws IOException {
    Path file = write(
        "{\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\", \"minimum\": \"zero\"}}}");
    assertThat(loadFailure(file).getMessage()).contains("/properties/n/minimum: string found, number expected (type)");
  }

  @Test
  void declaredDraftIsUsedForTheMetaSchema() throws IOException {
    // exclusiveMinimum is a boolean in draft-04 and a number since draft-06.
    Path draft4 = write("{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"integer\","
        + " \"minimum\": 1, \"exclusiveMinimum\": true}");
    assertThat(OutputSchema.load(draft4).original().get("exclusiveMinimum").asBoolean()).isTrue();

    Path draft7 = write("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"integer\","
        + " \"exclusiveMinimum\": true}");
    assertThat(loadFailure(draft7).getMessage()).contains("(draft-07)").contains("/exclusiveMinimum");
  }

  @Test
  void unknownDraftIsRefused() throws IOException {
    Path file = write("{\"$schema\": \"https://example.com/my-meta\", \"type\": \"object\"}");
    RunnerException e = loadFailure(file);
    assertThat(e.getMessage()).contains("declares an unknown $schema \"https://example.com/my-meta\"");
    assertThat(e.hint()).contains("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void remoteReferenceIsRefusedWithItsPointer() throws IOException {
    Path file = write("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"https://example.com/a.json\"}},"
        + " \"enum\": [{\"$ref\": \"data, not a reference\"}]}");
    assertThat(loadFailure(file).getMessage()).isEqualTo("output schema " + file
        + " has a non-local reference \"https://example.com/a.json\" at /properties/a/$ref");
  }

  @Test
  void unresolvableLocalReferenceFailsAtLoad() throws IOException {
    Path file = write("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}");
    assertThat(loadFailure(file).getMessage()).startsWith("output schema " + file + " cannot be compiled: ")
        .contains("/$defs/missing cannot be resolved");
  }

  @Test
  void badPatternIsAnInvalidSchema() throws IOException {
    Path file = write("{\"type\": \"string\", \"pattern\": \"[unclosed\"}");
    assertThat(loadFailure(file).getMessage()).contains("is not a valid JSON Schema").contains("/pattern: ")
        .contains("(format)");
  }

  @Test
  void validSchemaKeepsTheOriginalAsWritten() throws IOException {
    String json = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\","
        + " \"properties\": {\"a\": {\"type\": \"string\"}}}";
    OutputSchema schema = OutputSchema.load(write(json));
    assertThat(schema.original()).isEqualTo(SchemaFile.STRICT_JSON.readTree(json));
    assertThat(schema.file()).isEqualTo(dir.resolve("schema.json"));
    schema.original().put("x", 1);
    assertThat(schema.original().has("x")).isFalse();
  }
}
