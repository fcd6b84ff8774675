package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/** Validates an instance against a JSON Schema (draft 2020-12 unless the schema says otherwise). */
final class SchemaCheck {
  private SchemaCheck() {}

  /** Null when {@code instance} conforms, else the first few problems on one line. */
  static String problem(JsonNode schema, JsonNode instance) {
    Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
    List<Error> errors = s.validate(instance);
    if (errors.isEmpty()) {
      return null;
    }
    return String.join("; ", errors.stream().limit(3).map(Error::toString).toList());
  }
}
