package dev.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import dev.runner.RunnerException;
import dev.runner.logging.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The schema given with {@code runner exec --output-schema FILE}: checked once at start-up, sent to the model as the
 * response's {@code text.format}, and used to validate the final answer.
 *
 * <h2>Loading</h2> {@link #load(Path)} fails with a usage error (exit 2) when the file is missing or unreadable, is
 * not valid JSON (the message names line and column), is not a JSON object, declares an unknown {@code $schema}, uses
 * a remote {@code $ref} (nothing is fetched over the network), or is not a valid JSON Schema for its draft (default
 * 2020-12; the message names each problem with its JSON Pointer).
 *
 * <h2>Strict mode</h2> OpenAI structured outputs need {@code additionalProperties: false} on every object, every
 * property in {@code required}, an object at the root, and no keyword outside a supported subset. The runner rewrites
 * the schema it sends only when the rewrite narrows it, so an answer forced by strict decoding always passes
 * validation against the original:
 * <ul>
 * <li>an object that declares its properties and lacks {@code additionalProperties} (or has {@code true}) gets
 * {@code additionalProperties: false};
 * <li>optional properties become required with their own type (not nullable: {@code null} would fail the original
 * schema). To let the model say "none", give the property a type like {@code ["string", "null"]}.
 * </ul>
 * Anything else strict mode cannot express (a map via a schema-valued {@code additionalProperties}, an object with no
 * declared properties, a non-object root, {@code oneOf}/{@code allOf}/{@code not}/{@code if}, {@code minLength},
 * {@code uniqueItems}, tuple items, an unsupported {@code format}, ...) sends the schema unchanged with
 * {@code strict:false}. Either way each change, or each reason strict mode is off, is one line in {@link #warnings()}
 * for the CLI to print on stderr. Root {@code $schema} and {@code $id} are never sent.
 *
 * <h2>Validation</h2> {@link #validate(String)} always uses the user's original schema, with {@code format} asserted.
 * The answer must be exactly one JSON value: an answer wrapped in a Markdown code fence is reported as not JSON, with a
 * message that says so, and is not unwrapped (scripts downstream expect bare JSON; the repair turn asks the model to
 * drop the fence).
 *
 * <p>Instances are immutable and safe to share; validation reuses the schema compiled at load time.
 */
public final class OutputSchema {
  /** The {@code text.format.name} codex sends, kept so servers that key on it treat the runner like codex. */
  public static final String FORMAT_NAME = "codex_output_schema";
  private static final Log LOG = Log.of("schema");

  private final Path file;
  private final ObjectNode original;
  private final Schema compiled;
  private final StrictNormalizer.Normalized normalized;

  private OutputSchema(Path file, ObjectNode original, Schema compiled, StrictNormalizer.Normalized normalized) {
    this.file = file;
    this.original = original;
    this.compiled = compiled;
    this.normalized = normalized;
  }

  /**
   * Reads, checks, compiles and normalizes the schema in {@code file}.
   *
   * @throws RunnerException a usage error (exit 2) naming the file and what is wrong with it
   */
  public static OutputSchema load(Path file) {
    Objects.requireNonNull(file, "file");
    Validators validators = new Validators();
    ObjectNode original = (ObjectNode) SchemaFile.read(file, validators);
    Schema compiled;
    try {
      compiled = validators.compile(original);
    } catch (SchemaException e) {
      throw RunnerException.config("output schema " + file + " cannot be compiled: " + e.getMessage(),
          "check each $ref points into this file (\"#/$defs/NAME\") and each pattern is a valid regular expression",
          e);
    }
    StrictNormalizer.Normalized normalized = StrictNormalizer.normalize(original);
    LOG.debug(() -> "output schema " + file + " loaded: strict=" + normalized.strict() + ", "
        + normalized.warnings().size() + " warning(s)");
    return new OutputSchema(file, original, compiled, normalized);
  }

  /** The file the schema came from, as given. */
  public Path file() {
    return file;
  }

  /** A copy of the user's schema exactly as written. */
  public ObjectNode original() {
    return original.deepCopy();
  }

  /** A copy of the schema sent to the model (see the class comment for how it may differ from the original). */
  public ObjectNode sentSchema() {
    return normalized.sent().deepCopy();
  }

  /** Whether the request asks for strict structured output. */
  public boolean strict() {
    return normalized.strict();
  }

  /** One line per change made for strict mode, or per reason strict mode is off; empty when sent unchanged. */
  public List<String> warnings() {
    return normalized.warnings();
  }

  /**
   * A fresh {@code text.format} object for the request:
   * {@code {"type":"json_schema","name":"codex_output_schema","strict":...,"schema":{...}}}.
   */
  public ObjectNode textFormat() {
    ObjectNode format = JsonNodeFactory.instance.objectNode();
    format.put("type", "json_schema");
    format.put("name", FORMAT_NAME);
    format.put("strict", normalized.strict());
    format.set("schema", normalized.sent().deepCopy());
    return format;
  }

  /** The request's {@code text} object: {@code {"format": }{@link #textFormat()}{@code }}. */
  public ObjectNode textConfig() {
    ObjectNode text = JsonNodeFactory.instance.objectNode();
    text.set("format", textFormat());
    return text;
  }

  /** Parses {@code finalMessage} as JSON and validates it against the original schema. Never throws. */
  public ValidationResult validate(String finalMessage) {
    Objects.requireNonNull(finalMessage, "finalMessage");
    return switch (AnswerParser.parse(finalMessage)) {
      case AnswerParser.NotJson(String reason) -> ValidationResult.notJson(finalMessage, reason);
      case AnswerParser.Json(JsonNode value) -> ValidationResult.checked(finalMessage, value,
          compiled.validate(value).stream().map(Validators::toViolation).toList());
    };
  }

  /**
   * The user message of a repair turn for a rejected answer: each problem with its JSON Pointer, then the instruction
   * to answer again with only conforming JSON.
   *
   * @throws IllegalArgumentException if {@code result} is valid
   */
  public String repairPrompt(ValidationResult result) {
    return RepairPrompt.of(result);
  }

  /** The exit-3 error for an answer that is still invalid when no repair turn is left. */
  public RunnerException failure(ValidationResult result) {
    return RunnerException.schemaViolation(result.summary() + " (schema " + file + ")",
        "the model's last answer is the final agent_message of --json output; make the prompt ask for the fields"
            + " the schema needs, or loosen the schema");
  }
}
