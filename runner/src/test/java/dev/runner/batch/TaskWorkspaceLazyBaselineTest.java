package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy workspace takes its git baseline at the task's first tool call, so a task without tools runs no git. */
class TaskWorkspaceLazyBaselineTest {
  @TempDir
  Path cwd;

  @TempDir
  Path base;

  @Test
  void aTaskThatCalledNoToolHasNoBaselineAndNoChanges() throws Exception {
    Files.writeString(cwd.resolve("a.txt"), "one\n");
    try (ScratchSpace scratch = ScratchSpace.open(base);
        TaskWorkspace w = TaskWorkspace.create(WorkspaceMode.COPY, cwd, scratch, "t1")) {
      assertThat(w.changes()).isEmpty();
      try (var files = Files.list(scratch.dir())) {
        Path temp = files.filter(Files::isDirectory).findFirst().orElseThrow();
        assertThat(temp.resolve("baseline.git")).doesNotExist();
      }
    }
  }

  @Test
  void changesAfterTheFirstToolCallAreThePatch() throws Exception {
    Files.writeString(cwd.resolve("a.txt"), "one\n");
    try (ScratchSpace scratch = ScratchSpace.open(base);
        TaskWorkspace w = TaskWorkspace.create(WorkspaceMode.COPY, cwd, scratch, "t2")) {
      w.beforeTools();
      Files.writeString(w.dir().resolve("a.txt"), "two\n");
      Files.writeString(w.dir().resolve("new.txt"), "new\n");
      w.beforeTools(); // a later call keeps the first baseline
      String patch = new String(w.changes(), StandardCharsets.UTF_8);
      assertThat(patch).contains("-one", "+two", "new.txt", "+new");
    }
  }
}
