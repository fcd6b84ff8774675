package dev.runner.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the service demands beyond the spec. {@code CreateResponse} lists no required field, so a document can be
 * "valid" and still be refused (PROTOCOL.md §5); these are the checks the spec leaves out.
 */
final class ServiceRules {
  private ServiceRules() {}

  /** Problems with a {@code POST /responses} body or a {@code response.create} frame; empty when acceptable. */
  static List<String> createResponse(JsonNode body) {
    List<String> problems = new ArrayList<>();
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isBlank()) {
      problems.add("/model: a non-empty string is required");
    }
    JsonNode input = body.path("input");
    if (!input.isTextual() && !input.isArray()) {
      problems.add("/input: a string or an item list is required");
    }
    return problems;
  }

  /**
   * Problems with a function tool definition: the spec requires the keys {@code strict} and {@code parameters} even
   * though their values may be null.
   */
  static List<String> functionTools(JsonNode body) {
    List<String> problems = new ArrayList<>();
    int i = 0;
    for (JsonNode tool : body.path("tools")) {
      if ("function".equals(tool.path("type").asText())) {
        for (String key : List.of("name", "strict", "parameters")) {
          if (!tool.has(key)) {
            problems.add("/tools/" + i + ": function tool lacks key '" + key + "'");
          }
        }
      }
      i++;
    }
    return problems;
  }
}
