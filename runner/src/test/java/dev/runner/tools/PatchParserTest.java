package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatchParserTest {
  @Test
  void parsesEveryOperation() {
    Patch patch = PatchParser.parse(
        """
            *** Begin Patch
            *** Add File: n.txt
            +hello
            +
            *** Delete File: old.txt
            *** Update File: u.txt
            *** Move to: v.txt
            @@ def f():
             keep

            -drop
            +add
            @@
            -last
            *** End of File
            *** End Patch
            """);

    assertThat(patch.operations())
        .containsExactly(
            new Patch.AddFile("n.txt", "hello\n\n"),
            new Patch.DeleteFile("old.txt"),
            new Patch.UpdateFile(
                "u.txt",
                "v.txt",
                List.of(
                    new Patch.Hunk(
                        "def f():", List.of("keep", "", "drop"), List.of("keep", "", "add"), false),
                    new Patch.Hunk(null, List.of("last"), List.of(), true))));
  }

  @Test
  void theFirstHunkMayOmitItsMarker() {
    Patch patch = PatchParser.parse("*** Begin Patch\n*** Update File: a\n-x\n+y\n*** End Patch");

    assertThat(((Patch.UpdateFile) patch.operations().get(0)).hunks())
        .containsExactly(new Patch.Hunk(null, List.of("x"), List.of("y"), false));
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(() -> PatchParser.parse("*** Begin Patch\n*** Frobnicate: a\n*** End Patch"))
        .isInstanceOf(PatchParser.PatchException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("Frobnicate");
    assertThatThrownBy(() -> PatchParser.parse("*** Update File: a\n"))
        .hasMessageContaining("*** Begin Patch");
    assertThatThrownBy(() -> PatchParser.parse("*** Begin Patch\n*** Delete File: a\n"))
        .hasMessageContaining("*** End Patch");
    assertThatThrownBy(
        () -> PatchParser.parse(
            "*** Begin Patch\n*** Update File: a\n@@\n x\n?bad\n*** End Patch"))
        .hasMessageContaining("line 5");
    assertThatThrownBy(() -> PatchParser.parse("*** Begin Patch\n*** End Patch"))
        .hasMessageContaining("no file operations");
  }
}
