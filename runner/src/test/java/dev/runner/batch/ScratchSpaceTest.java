package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch folders of dead runs are removed with their worktrees; those of live runs and strangers' are kept. */
class ScratchSpaceTest {
  @TempDir
  Path parent;

  @TempDir
  Path repo;

  @Test
  void aDeadRunsFolderGoesWithItsWorktreesLiveOnesAndOthersStay() throws Exception {
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("a.txt"), "a\n");
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init");

    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path dead = Files.createDirectory(parent.resolve(gone.pid() + "-1"));
    Files.createFile(dead.resolve(ScratchSpace.LOCK));
    Files.writeString(dead.resolve(ScratchSpace.REPOSITORIES), repo + "\n", StandardCharsets.UTF_8);
    git(repo, "worktree", "add", "--detach", "--quiet", dead.resolve("t1/t1").toString(), "HEAD");
    assertThat(git(repo, "worktree", "list").strip().lines()).hasSize(2);

    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try (ScratchSpace mine = ScratchSpace.open(parent)) {
      Path alive = Files.createDirectory(parent.resolve(sleeper.pid() + "-2"));
      Path stranger = Files.createDirectory(parent.resolve("not-a-run"));
      assertThat(dead).doesNotExist(); // open cleaned it
      assertThat(git(repo, "worktree", "list").strip().lines()).as("pruned").hasSize(1);

      assertThat(ScratchSpace.cleanStale(parent)).isZero();
      assertThat(mine.dir()).exists().hasParent(parent);
      assertThat(mine.dir().getFileName().toString()).startsWith(ProcessHandle.current().pid() + "-");
      assertThat(alive).exists();
      assertThat(stranger).exists();
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(30, TimeUnit.SECONDS);
    }
    List<Path> left = new ArrayList<>();
    try (var list = Files.list(parent)) {
      list.forEach(left::add);
    }
    assertThat(left).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(sleeper.pid() + "-2",
        "not-a-run"); // this run's own folder went when it closed
    assertThat(ScratchSpace.cleanStale(parent)).as("the sleeper is dead now").isEqualTo(1);
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
