package dev.runner.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One networknt registry and the meta-schemas compiled from it. Building a registry and compiling a meta-schema cost
 * tens of milliseconds, so an instance is made once per schema file and everything after that reuses it.
 *
 * <p>Meta-schemas come from the validator jar (it maps the draft URIs to bundled copies), so nothing is fetched from the
 * network; {@link SchemaFile} refuses remote {@code $ref}s and unknown {@code $schema}s before anything is compiled.
 */
final class Validators {
  static final SpecificationVersion DEFAULT_DRAFT = SpecificationVersion.DRAFT_2020_12;

  private final SchemaRegistry registry;
  private final Map<SpecificationVersion, Schema> metaSchemas = new EnumMap<>(SpecificationVersion.class);

  Validators() {
    // English messages whatever the machine's locale, JSON Pointers for locations, and `format` asserted because
    // the service enforces it in strict mode and users who write "format": "date" mean it.
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .locale(Locale.ENGLISH)
        .pathType(PathType.JSON_POINTER)
        .formatAssertionsEnabled(true)
        .build();
    this.registry = SchemaRegistry.withDefaultDialect(DEFAULT_DRAFT, b -> b.schemaRegistryConfig(config));
  }

  /** A networknt error as a {@link Violation}: where (JSON Pointer into the validated document), which keyword, what. */
  static Violation toViolation(Error error) {
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    return new Violation(error.getInstanceLocation().toString(), keyword, error.getMessage());
  }

  /** The draft a schema declares with {@code $schema}, the default when it declares none, or empty if unknown. */
  static Optional<SpecificationVersion> draftOf(JsonNode schema) {
    JsonNode declared = schema.path("$schema");
    if (declared.isMissingNode()) {
      return Optional.of(DEFAULT_DRAFT);
    }
    return SpecificationVersion.fromSchemaNode(schema);
  }

  /** Errors of {@code schema} against its draft's meta-schema; locations point into {@code schema}. */
  List<Error> checkAgainstMetaSchema(JsonNode schema, SpecificationVersion draft) {
    Schema meta = metaSchemas.computeIfAbsent(draft, v -> registry.getSchema(SchemaLocation.of(v.getDialectId())));
    return meta.validate(schema);
  }

  /**
   * Compiles {@code schema} and resolves all its references and patterns now, so a broken {@code $ref} or regex is a
   * load error and not a surprise after the model has answered.
   *
   * @throws SchemaException when a reference cannot be resolved or a pattern does not compile
   */
  Schema compile(JsonNode schema) {
    Schema compiled = registry.getSchema(schema);
    compiled.initializeValidators();
    return compiled;
  }
}
