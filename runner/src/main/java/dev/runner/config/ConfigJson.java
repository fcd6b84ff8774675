package dev.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * Renders a {@link ConfigReport} as one JSON object: {@code files}, then each value nested by its
 * dotted key as {@code {"value": ..., "source": ...}} ({@code transport} also has {@code reason}),
 * and with {@code verbose} an {@code ignored_keys} array of {@code {"key", "source"}}.
 */
public final class ConfigJson {
  private ConfigJson() {}

  public static String render(ConfigReport report, boolean verbose) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode files = root.putArray("files");
    report.files().stream().map(Path::toString).forEach(files::add);
    for (ConfigReport.Row row : report.rows()) {
      ObjectNode parent = root;
      String[] parts = row.key().split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        parent = parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
      }
      ObjectNode entry = parent.putObject(parts[parts.length - 1]);
      entry.set("value", mapper.valueToTree(row.value()));
      entry.put("source", row.source());
      if (!row.reason().isEmpty()) {
        entry.put("reason", row.reason());
      }
    }
    if (verbose) {
      ArrayNode ignored = root.putArray("ignored_keys");
      for (UnknownKey u : report.unknownKeys()) {
        ignored.addObject().put("key", u.key()).put("source", u.source().toString());
      }
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }
}
