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
}
