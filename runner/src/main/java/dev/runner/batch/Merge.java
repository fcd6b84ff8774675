package dev.runner.batch;

import dev.runner.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Joins results files (one per shard, or per resumed run) into one: per id the last terminal line wins (a cancelled
 * line only when the id has nothing else). Against the task list it reports ids with no terminal result ("missing"),
 * ids finished in more than one file ("duplicated": two shards ran the same task), and ids not in the list.
 */
public final class Merge {
  private Merge() {}

  /**
   * What merging found.
   *
   * @param results one result per id, in first-seen order (task-list order when a list was given)
   * @param missing task ids with no terminal result
   * @param duplicated ids with a terminal result in more than one input file
   * @param unknown result ids that are not in the task list
   */
  public record Outcome(List<TaskResult> results, List<String> missing, List<String> duplicated,
      List<String> unknown) {
    public boolean complete() {
      return missing.isEmpty() && duplicated.isEmpty();
    }
  }

  /** Reads {@code inputs}; {@code taskIds} may be null (then nothing can be missing or unknown). */
  public static Outcome merge(List<Path> inputs, List<String> taskIds) throws IOException {
    Map<String, TaskResult> byId = new LinkedHashMap<>();
    Map<String, Set<Path>> finishedIn = new LinkedHashMap<>();
    for (Path in : inputs) {
      for (TaskResult r : ResultsFile.read(in)) {
        byId.merge(r.id(), r, ResultsFile::merge);
        if (r.status().terminal()) {
          finishedIn.computeIfAbsent(r.id(), k -> new LinkedHashSet<>()).add(in);
        }
      }
    }
    List<String> duplicated = finishedIn.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(Map.Entry::getKey).toList();
    List<TaskResult> results = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    if (taskIds == null) {
      results.addAll(byId.values());
    } else {
      Set<String> listed = new LinkedHashSet<>(taskIds);
      for (String id : listed) {
        TaskResult r = byId.get(id);
        if (r != null) {
          results.add(r);
        }
        if (r == null || !r.status().terminal()) {
          missing.add(id);
        }
      }
      byId.keySet().stream().filter(id -> !listed.contains(id)).forEach(unknown::add);
    }
    return new Outcome(List.copyOf(results), List.copyOf(missing), duplicated, List.copyOf(unknown));
  }

  /** Writes {@code results}, one line each, atomically. */
  public static void write(Path out, List<TaskResult> results) throws IOException {
    AtomicFiles.write(out, results.stream().map(r -> ResultJson.line(r) + "\n").collect(Collectors.joining()));
  }
}
