package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.RunnerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
  @TempDir
  Path dir;

  static TaskResult ok(String id) {
    return JunitXmlTest.result(id, TaskStatus.OK);
  }

  @Test
  void linesRoundTripAndATornTailIsCutOffOnResume() throws Exception {
    Path file = dir.resolve("r.jsonl");
    try (ResultsFile r = ResultsFile.open(file, false)) {
      r.append(ok("a"));
      r.append(JunitXmlTest.result("b", TaskStatus.CANCELLED, new TaskResult.Problem(null, "deadline")));
      r.append(ok("b"));
    }
    String complete = Files.readString(file);
    Files.writeString(file, complete + "{\"id\":\"c\",\"stat", StandardCharsets.UTF_8);
    try (ResultsFile r = ResultsFile.open(file, true)) {
      assertThat(r.droppedTornLine()).isTrue();
      assertThat(r.previous()).containsOnlyKeys("a", "b");
      assertThat(r.previous().get("b").status()).isEqualTo(TaskStatus.OK);
      r.append(ok("c"));
    }
    List<TaskResult> all = ResultsFile.read(file);
    assertThat(all).extracting(TaskResult::id).containsExactly("a", "b", "b", "c");
    assertThat(all.get(0)).isEqualTo(ok("a"));
  }

  /** Tasks that end together share forces: every line must still land whole, once, readable. */
  @Test
  void concurrentAppendsLandWholeAndOnce() throws Exception {
    Path file = dir.resolve("r.jsonl");
    int threads = 16;
    int each = 40;
    try (ResultsFile r = ResultsFile.open(file, false);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            r.append(ok("t" + thread + "-" + i));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    List<TaskResult> all = ResultsFile.read(file);
    assertThat(all).hasSize(threads * each);
    assertThat(all).extracting(TaskResult::id).doesNotHaveDuplicates().contains("t0-0", "t15-39");
  }

  @Test
  void aCancelledLineNeverHidesAnEarlierTerminalOne() {
    TaskResult cancelled = TaskResult.cancelled("a", "--deadline");
    assertThat(ResultsFile.merge(ok("a"), cancelled).status()).isEqualTo(TaskStatus.OK);
    assertThat(ResultsFile.merge(cancelled, ok("a")).status()).isEqualTo(TaskStatus.OK);
    assertThat(ResultsFile.merge(null, cancelled)).isSameAs(cancelled);
  }

  @Test
  void aBadLineInTheMiddleIsNotTakenForATornOne() throws Exception {
    Path file = dir.resolve("r.jsonl");
    try (ResultsFile r = ResultsFile.open(file, false)) {
      r.append(ok("a"));
    }
    Files.writeString(file, "garbage\n" + Files.readString(file));
    assertThatThrownBy(() -> ResultsFile.open(file, true)).isInstanceOf(RunnerException.class)
        .hasMessageContaining("line 1");
    assertThat(Files.readString(file)).startsWith("garbage\n");
  }

  @Test
  void withoutResumeAFileWithResultsIsRefused() throws Exception {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(file, "x");
    assertThatThrownBy(() -> ResultsFile.open(file, false)).isInstanceOf(RunnerException.class)
        .hasMessageContaining("already holds results")
        .satisfies(e -> assertThat(((RunnerException) e).hint()).contains("--resume"));
  }
}
