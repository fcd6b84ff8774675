package dev.runner.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a {@code runner batch} ended, read back from its results file ({@code schemas/batch-result.schema.json}) so
 * that nothing here depends on the batch code: the file is the batch's contract. The last line of an id wins, as for
 * {@code --resume}.
 *
 * @param exitCode the batch's exit code
 * @param tasks one row per task id, in first-seen order
 * @param resultsFile the results file
 * @param junitFile the JUnit file, or null
 * @param metricsFile the metrics file, or null
 */
public record BatchOutcome(int exitCode, List<Task> tasks, Path resultsFile, Path junitFile, Path metricsFile) {
  public BatchOutcome {
    tasks = List.copyOf(tasks);
  }

  /** One task's line: its status label ({@code ok}, {@code schema_invalid}, ...), errors and timing. */
  public record Task(String id, String status, Integer exitCode, List<String> errors, int attempts, double wallMs) {
    public Task {
      errors = List.copyOf(errors);
    }
  }

  /** Reads {@code resultsFile}; lines that are not result objects are skipped (a torn last line after a crash). */
  public static BatchOutcome read(int exitCode, Path resultsFile, Path junitFile, Path metricsFile)
      throws IOException {
    Map<String, Task> byId = new LinkedHashMap<>();
    if (Files.exists(resultsFile)) {
      for (String line : Files.readAllLines(resultsFile, StandardCharsets.UTF_8)) {
        JsonNode o;
        try {
          o = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          continue;
        }
        if (o == null || !o.path("id").isTextual() || !o.path("status").isTextual()) {
          continue;
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode e : o.path("errors")) {
          String message = e.path("message").asText("");
          errors.add(e.hasNonNull("pointer")
              ? (e.get("pointer").asText().isEmpty() ? "(root)" : e.get("pointer").asText()) + ": " + message
              : message);
        }
        String id = o.get("id").asText();
        byId.remove(id);
        byId.put(id, new Task(id, o.get("status").asText(),
            o.hasNonNull("exit_code") ? o.get("exit_code").asInt() : null, errors, o.path("attempts").asInt(1),
            o.path("timing").path("wall_ms").asDouble()));
      }
    }
    return new BatchOutcome(exitCode, new ArrayList<>(byId.values()), resultsFile, junitFile, metricsFile);
  }

  /** Tasks per status label, sorted by label. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    tasks.forEach(t -> counts.merge(t.status(), 1, Integer::sum));
    return counts;
  }

  public int count(String status) {
    return counts().getOrDefault(status, 0);
  }
}
