package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyPatchToolTest {
  @TempDir
  Path workspace;
  @TempDir
  Path outside;

  private final ApplyPatchTool tool = new ApplyPatchTool();

  @BeforeEach
  void files() throws IOException {
    Files.writeString(workspace.resolve("a.txt"), "one\ntwo\nthree\nfour\n");
    Files.createDirectory(workspace.resolve("src"));
    Files.writeString(
        workspace.resolve("src/Main.java"),
        "class Main {\n  void a() {\n    x();\n  }\n\n  void b() {\n    x();\n  }\n}\n");
  }

  private ToolResult apply(String patch) {
    String json = JsonNodeFactory.instance.objectNode().put("input", patch).toString();
    return tool.run(
        Contexts.call("apply_patch", json), Contexts.of(workspace, SandboxMode.WORKSPACE_WRITE));
  }

  private String read(String path) throws IOException {
    return Files.readString(workspace.resolve(path));
  }

  private static java.util.List<FileChange> changes(ToolResult result) {
    return ((ToolResult.PatchApplied) result.detail()).changes();
  }

  @Test
  void addsUpdatesAndDeletesFiles() throws IOException {
    ToolResult result = apply(
        """
            *** Begin Patch
            *** Add File: docs/new.md
            +# Title
            +body
            *** Update File: a.txt
            @@
             one
            -two
            +TWO
             three
            *** Delete File: src/Main.java
            *** End Patch
            """);

    assertThat(result.success()).isTrue();
    assertThat(read("docs/new.md")).isEqualTo("# Title\nbody\n");
    assertThat(read("a.txt")).isEqualTo("one\nTWO\nthree\nfour\n");
    assertThat(workspace.resolve("src/Main.java")).doesNotExist();
    assertThat(changes(result))
        .containsExactly(
            new FileChange("docs/new.md", FileChange.Kind.ADD),
            new FileChange("a.txt", FileChange.Kind.UPDATE),
            new FileChange("src/Main.java", FileChange.Kind.DELETE));
    assertThat(result.output()).contains("A docs/new.md\nM a.txt\nD src/Main.java");
  }

  @Test
  void movesAFileWhileUpdatingIt() throws IOException {
    ToolResult result = apply(
        """
            *** Begin Patch
            *** Update File: a.txt
            *** Move to: b/renamed.txt
            @@
            -four
            +4
            *** End of File
            *** End Patch
            """);

    assertThat(result.success()).isTrue();
    assertThat(workspace.resolve("a.txt")).doesNotExist();
    assertThat(read("b/renamed.txt")).isEqualTo("one\ntwo\nthree\n4\n");
    assertThat(changes(result)).containsExactly(new FileChange("b/renamed.txt", FileChange.Kind.UPDATE));
  }

  @Test
  void aContextHeaderPicksTheRightOccurrence() throws IOException {
    ToolResult result = apply(
        """
            *** Begin Patch
            *** Update File: src/Main.java
            @@ void b() {
            -    x();
            +    y();
            *** End Patch
            """);

    assertThat(result.success()).isTrue();
    assertThat(read("src/Main.java"))
        .isEqualTo("class Main {\n  void a() {\n    x();\n  }\n\n  void b() {\n    y();\n  }\n}\n");
  }

  @Test
  void contextThatDoesNotMatchChangesNoFile() throws IOException {
    ToolResult result = apply(
        """
            *** Begin Patch
            *** Add File: created.txt
            +x
            *** Update File: a.txt
            @@
             one
            -deux
            +2
            *** End Patch
            """);

    assertThat(result.success()).isFalse();
    assertThat(result.output())
        .contains("patch does not apply to 'a.txt'")
        .contains("deux")
        .contains("No file was changed");
    assertThat(workspace.resolve("created.txt")).doesNotExist();
    assertThat(read("a.txt")).isEqualTo("one\ntwo\nthree\nfour\n");
    assertThat(changes(result)).isEmpty();
  }

  @Test
  void pathsOutsideTheWorkspaceAreRefused() throws IOException {
    Path target = outside.resolve("x");
    String escape = workspace.relativize(target).toString();

    ToolResult climb = apply("*** Begin Patch\n*** Add File: " + escape + "\n+x\n*** End Patch");
    ToolResult absolute = apply("*** Begin Patch\n*** Add File: " + target + "\n+x\n*** End Patch");
    ToolResult etc = apply("*** Begin Patch\n*** Add File: /etc/x\n+x\n*** End Patch");

    assertThat(climb.output()).contains("outside the workspace");
    assertThat(absolute.output()).contains("absolute path");
    assertThat(etc.output()).contains("absolute path");
    assertThat(target).doesNotExist();
    assertThat(Path.of("/etc/x")).doesNotExist();
  }

  @Test
  void aSymlinkLeadingOutIsRefused() throws IOException {
    Files.createSymbolicLink(workspace.resolve("link"), outside);

    ToolResult result = apply("*** Begin Patch\n*** Add File: link/x\n+x\n*** End Patch");

    assertThat(result.success()).isFalse();
    assertThat(result.output()).contains("symbolic link");
    assertThat(outside.resolve("x")).doesNotExist();
  }

  @Test
  void rawPatchTextIsAcceptedAsTheFreeformForm() throws IOException {
    ToolResult result = tool.run(
        Contexts.call("apply_patch", "*** Begin Patch\n*** Delete File: a.txt\n*** End Patch"),
        Contexts.of(workspace, SandboxMode.WORKSPACE_WRITE));

    assertThat(result.success()).isTrue();
    assertThat(workspace.resolve("a.txt")).doesNotExist();
  }

  @Test
  void malformedArgumentsAreRejected() {
    ToolResult result = tool.run(
        Contexts.call("apply_patch", "{\"input\": "),
        Contexts.of(workspace, SandboxMode.WORKSPACE_WRITE));

    assertThat(result.rejected()).isTrue();
    assertThat(result.output()).contains("failed to parse function arguments");
  }

  @Test
  void deletingAMissingFileNamesIt() {
    ToolResult result = apply("*** Begin Patch\n*** Delete File: gone.txt\n*** End Patch");

    assertThat(result.success()).isFalse();
    assertThat(result.output()).contains("cannot delete 'gone.txt': no such file");
  }

  @Test
  void anExecutableKeepsItsPermissions() throws IOException {
    Path script = workspace.resolve("run.sh");
    Files.writeString(script, "echo a\n");
    script.toFile().setExecutable(true);

    apply("*** Begin Patch\n*** Update File: run.sh\n@@\n-echo a\n+echo b\n*** End Patch");

    assertThat(Files.readString(script)).isEqualTo("echo b\n");
    assertThat(Files.isExecutable(script)).isTrue();
  }

  private ToolResult apply(String patch, SandboxMode mode) {
    String json = JsonNodeFactory.instance.objectNode().put("input", patch).toString();
    return tool.run(Contexts.call("apply_patch", json), Contexts.of(workspace, mode));
  }

  @Test
  void gitMetadataIsRefusedInEverySandboxModeThatWrites() throws IOException {
    Files.createDirectories(workspace.resolve(".git/hooks"));
    Files.writeString(workspace.resolve(".git/config"), "[core]\n");
    Files.createDirectories(workspace.resolve("sub"));
    Files.writeString(workspace.resolve("sub/.git"), "gitdir: ../.git/worktrees/sub\n");
    Files.createSymbolicLink(workspace.resolve("g"), Path.of(".git"));
    java.util.List<String> patches = java.util.List.of(
        "*** Add File: .git/hooks/pre-commit\n+#!/bin/sh\n+id",
        "*** Add File: .GIT/config\n+[core]\n+hooksPath = /tmp",
        "*** Add File: .Git./hooks/post-checkout\n+x",
        "*** Update File: .git/config\n@@\n+[core]\n+fsmonitor = id",
        "*** Delete File: sub/.git",
        "*** Add File: sub/.git\n+gitdir: /tmp/evil",
        "*** Add File: src/../.git/hooks/pre-push\n+x",
        "*** Add File: g/hooks/pre-commit\n+x",
        "*** Update File: a.txt\n*** Move to: .git/hooks/pre-commit\n@@\n-four\n+4");

    int refusals = 0;
    for (SandboxMode mode : java.util.List.of(
        SandboxMode.WORKSPACE_WRITE, SandboxMode.DANGER_FULL_ACCESS)) {
      for (String body : patches) {
        ToolResult result = apply("*** Begin Patch\n" + body + "\n*** End Patch", mode);

        assertThat(result.success()).as(mode + ": " + body).isFalse();
        assertThat(result.output()).as(body).contains("git metadata").contains("No file was changed");
        refusals++;
      }
    }

    assertThat(refusals).isEqualTo(2 * patches.size());
    assertThat(workspace.resolve(".git/hooks")).isEmptyDirectory();
    assertThat(read(".git/config")).isEqualTo("[core]\n");
    assertThat(read("sub/.git")).isEqualTo("gitdir: ../.git/worktrees/sub\n");
    assertThat(read("a.txt")).isEqualTo("one\ntwo\nthree\nfour\n");
  }

  @Test
  void namesGitTreatsAsItsMetadataAreRecognised() {
    assertThat(java.util.List.of(".git", ".GIT", ".Git", ".git.", ".git ", ".g\u200cit", "git~1", "GIT~1"))
        .allMatch(WorkspacePaths::isGitName);
    assertThat(java.util.List.of(".github", ".gitignore", ".gitattributes", "x.git", "git", "..git"))
        .noneMatch(WorkspacePaths::isGitName);
  }

  @Test
  void aLinkInsideTheWorkspaceIsFollowedAndStaysALink() throws IOException {
    Files.createSymbolicLink(workspace.resolve("relative"), Path.of("src"));
    Files.createSymbolicLink(workspace.resolve("absolute.txt"), workspace.resolve("a.txt"));

    ToolResult result = apply(
        """
            *** Begin Patch
            *** Update File: relative/Main.java
            @@ void b() {
            -    x();
            +    y();
            *** Update File: absolute.txt
            @@
            -four
            +4
            *** End Patch
            """);

    assertThat(result.success()).as(result.output()).isTrue();
    assertThat(read("src/Main.java")).contains("    y();");
    assertThat(read("a.txt")).isEqualTo("one\ntwo\nthree\n4\n");
    assertThat(workspace.resolve("relative")).isSymbolicLink();
    assertThat(workspace.resolve("absolute.txt")).isSymbolicLink();
    assertThat(changes(result))
        .containsExactly(
            new FileChange("src/Main.java", FileChange.Kind.UPDATE),
            new FileChange("a.txt", FileChange.Kind.UPDATE));
  }

  @Test
  void aLinkToAFileOutsideIsNeitherReadNorWritten() throws IOException {
    Path secret = Files.writeString(outside.resolve("secret"), "SECRET\n");
    Files.createSymbolicLink(workspace.resolve("leak.txt"), secret);
    Files.createSymbolicLink(workspace.resolve("up"), Path.of("../" + outside.getFileName()));

    ToolResult update = apply("*** Begin Patch\n*** Update File: leak.txt\n@@\n+more\n*** End Patch");
    ToolResult add = apply("*** Begin Patch\n*** Add File: leak.txt\n+x\n*** End Patch");
    ToolResult climb = apply("*** Begin Patch\n*** Add File: up/new\n+x\n*** End Patch");

    assertThat(update.output()).contains("leads outside the workspace through the symbolic link");
    assertThat(update.output()).doesNotContain("SECRET");
    assertThat(add.output()).contains("leads outside the workspace");
    assertThat(climb.output()).contains("'up' -> '../");
    assertThat(Files.readString(secret)).isEqualTo("SECRET\n");
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void linksAreNotDeletedOrMovedByAPatch() throws IOException {
    Files.createSymbolicLink(workspace.resolve("link.txt"), Path.of("a.txt"));

    ToolResult delete = apply("*** Begin Patch\n*** Delete File: link.txt\n*** End Patch");
    ToolResult move = apply(
        "*** Begin Patch\n*** Update File: link.txt\n*** Move to: b.txt\n@@\n-one\n+1\n*** End Patch");

    assertThat(delete.output()).contains("cannot delete 'link.txt': it is a symbolic link");
    assertThat(move.output()).contains("cannot move 'link.txt': it is a symbolic link");
    assertThat(workspace.resolve("link.txt")).isSymbolicLink();
    assertThat(read("a.txt")).isEqualTo("one\ntwo\nthree\nfour\n");
  }

  @Test
  void aFileInTheWayOfADirectoryIsNamed() {
    ToolResult result = apply("*** Begin Patch\n*** Add File: a.txt/b.txt\n+x\n*** End Patch");

    assertThat(result.success()).isFalse();
    assertThat(result.output()).contains("'a.txt' is not a directory");
  }

  @Test
  void aNewFileGetsOrdinaryPermissionsAndNoTemporaryFileStays() throws IOException {
    ToolResult result = apply("*** Begin Patch\n*** Add File: deep/er/new.txt\n+x\n*** End Patch");

    assertThat(result.success()).isTrue();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(workspace.resolve("deep/er/new.txt")))).isEqualTo("rw-r--r--");
    try (var entries = Files.walk(workspace)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".apply_patch"));
    }
  }
}
