package dev.runner.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default workspace: a worktree only where git would find a repository, else a copy. */
class WorkspaceModeTest {
  @TempDir
  Path dir;

  @Test
  void aRealRepositoryAndItsSubfoldersGetWorktrees() throws Exception {
    Process git = new ProcessBuilder("git", "init", "-q", dir.toString()).inheritIO().start();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(git.exitValue()).isZero();
    Path sub = Files.createDirectories(dir.resolve("a/b"));
    assertThat(WorkspaceMode.defaultFor(dir)).isEqualTo(WorkspaceMode.WORKTREE);
    assertThat(WorkspaceMode.defaultFor(sub)).isEqualTo(WorkspaceMode.WORKTREE);
  }

  @Test
  void aWorktreesGitFileCounts() throws Exception {
    Files.writeString(dir.resolve(".git"), "gitdir: /somewhere/.git/worktrees/x\n");
    assertThat(WorkspaceMode.defaultFor(dir)).isEqualTo(WorkspaceMode.WORKTREE);
  }

  @Test
  void anEmptyGitFolderOrAStrayGitFileIsNotARepository() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("one"));
    Files.createDirectories(empty.resolve(".git"));
    Path stray = Files.createDirectories(dir.resolve("two"));
    Files.writeString(stray.resolve(".git"), "not a pointer\n");
    // @TempDir lives under /tmp, where no parent is a repository on a CI machine; say so if one is
    assertThat(WorkspaceMode.insideGitRepository(dir)).as("a parent of " + dir + " is a git repository").isFalse();
    assertThat(WorkspaceMode.defaultFor(empty)).isEqualTo(WorkspaceMode.COPY);
    assertThat(WorkspaceMode.defaultFor(stray)).isEqualTo(WorkspaceMode.COPY);
  }
}
