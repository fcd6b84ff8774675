package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patch whose write fails midway: the tree is changed between prepare and commit, as a command
 * could, so that a real write fails after others succeeded.
 */
class PatchCommitTest {
  @TempDir
  Path workspace;
  @TempDir
  Path outside;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(workspace.resolve("a.txt"), "one\n");
    Files.setPosixFilePermissions(workspace.resolve("a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(workspace.resolve("gone.txt"), "keep me\n");
    Files.writeString(workspace.resolve("d1.txt"), "first\n");
    Files.setPosixFilePermissions(workspace.resolve("d1.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(workspace.resolve("d2.txt"), "second\n");
  }

  private static Patch parse(String body) {
    return PatchParser.parse("*** Begin Patch\n" + body + "*** End Patch");
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> walk = Files.walk(workspace)) {
      return walk.map(p -> workspace.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aDirectoryWhereAFileMustGoRollsBackTheFilesWrittenBefore() throws IOException {
    Patch patch = parse(
        """
            *** Update File: a.txt
            @@
            -one
            +ONE
            *** Add File: new/dir/b.txt
            +b
            *** Add File: c.txt
            +c
            *** Delete File: gone.txt
            """);
    try (PatchFiles files = PatchFiles.open(workspace)) {
      PatchApplier.Prepared prepared = PatchApplier.prepare(files, patch);
      Files.createDirectories(workspace.resolve("c.txt/in-the-way"));

      assertThatThrownBy(() -> prepared.commit(files))
          .isInstanceOf(PatchCommit.CommitException.class)
          .hasMessageStartingWith("writing 'c.txt' failed: ")
          .hasMessageContaining("restored: a.txt")
          .hasMessageContaining("removed: new/dir/b.txt, new/dir/, new/")
          .hasMessageEndingWith("No file of this patch remains changed.");
    }

    assertThat(Files.readString(workspace.resolve("a.txt"))).isEqualTo("one\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.resolve("a.txt"))))
        .isEqualTo("rwxr-x---");
    assertThat(Files.readString(workspace.resolve("gone.txt"))).isEqualTo("keep me\n");
    assertThat(entries()).containsExactly("", "a.txt", "c.txt", "c.txt/in-the-way", "d1.txt", "d2.txt", "gone.txt");
  }

  @Test
  void aDeletionThatFailsBringsBackTheFilesDeletedBefore() throws IOException {
    Patch patch = parse(
        """
            *** Add File: x.txt
            +x
            *** Delete File: d1.txt
            *** Delete File: d2.txt
            """);
    try (PatchFiles files = PatchFiles.open(workspace)) {
      PatchApplier.Prepared prepared = PatchApplier.prepare(files, patch);
      Files.delete(workspace.resolve("d2.txt"));
      Files.createDirectories(workspace.resolve("d2.txt/full"));

      assertThatThrownBy(() -> prepared.commit(files))
          .hasMessageStartingWith("deleting 'd2.txt' failed: 'd2.txt' is a directory")
          .hasMessageContaining("restored: d1.txt; removed: x.txt.");
    }

    assertThat(Files.readString(workspace.resolve("d1.txt"))).isEqualTo("first\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.resolve("d1.txt"))))
        .isEqualTo("rw-------");
    assertThat(workspace.resolve("x.txt")).doesNotExist();
  }

  @Test
  void aDirectorySwappedForALinkAfterTheCheckFailsTheWriteInsteadOfLeaving() throws IOException {
    Files.createDirectories(workspace.resolve("d"));
    Files.writeString(workspace.resolve("d/f.txt"), "inside\n");
    Patch patch = parse(
        """
            *** Add File: first.txt
            +1
            *** Update File: d/f.txt
            @@
            +more
            *** Add File: d/sub/new.txt
            +x
            """);
    try (PatchFiles files = PatchFiles.open(workspace)) {
      PatchApplier.Prepared prepared = PatchApplier.prepare(files, patch);
      Files.move(workspace.resolve("d"), workspace.resolve("parked"));
      Files.writeString(outside.resolve("f.txt"), "outside\n");
      Files.createSymbolicLink(workspace.resolve("d"), outside);

      assertThatThrownBy(() -> prepared.commit(files))
          .hasMessageStartingWith("writing 'd/f.txt' failed: 'd' is a symbolic link;")
          .hasMessageContaining("removed: first.txt.");
    }

    try (Stream<Path> walk = Files.walk(outside)) {
      assertThat(walk.map(p -> outside.relativize(p).toString())).containsExactlyInAnyOrder("", "f.txt");
    }
    assertThat(Files.readString(outside.resolve("f.txt"))).isEqualTo("outside\n");
    assertThat(workspace.resolve("first.txt")).doesNotExist();
  }

  @Test
  void nothingToUndoSaysNoFileWasChanged() throws IOException {
    Patch patch = parse("*** Add File: dir/x.txt\n+x\n");
    try (PatchFiles files = PatchFiles.open(workspace)) {
      PatchApplier.Prepared prepared = PatchApplier.prepare(files, patch);
      Files.writeString(workspace.resolve("dir"), "a file now\n");

      assertThatThrownBy(() -> prepared.commit(files))
          .hasMessage("writing 'dir/x.txt' failed: 'dir' is not a directory. No file was changed.");
    }
  }
}
