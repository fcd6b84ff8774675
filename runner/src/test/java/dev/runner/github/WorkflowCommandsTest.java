package dev.runner.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandsTest {
  @TempDir
  Path dir;

  @Test
  void dataAndPropertiesAreEscapedAsTheActionsRunnerUnescapes() {
    StringWriter text = new StringWriter();
    new WorkflowCommands(new PrintWriter(text, true)).error("at /a: b,c", "100% wrong\r\n::warning::injected");
    assertThat(text.toString().strip())
        .isEqualTo("::error title=at /a%3A b%2Cc::100%25 wrong%0D%0A::warning::injected");
    assertThat(text.toString().lines()).hasSize(1);
  }

  @Test
  void groupsOpenAndClose() {
    StringWriter text = new StringWriter();
    WorkflowCommands commands = new WorkflowCommands(new PrintWriter(text, true));
    commands.group("$ ls\nrm -rf /");
    commands.endGroup();
    assertThat(text.toString().lines()).containsExactly("::group::$ ls%0Arm -rf /", "::endgroup::");
  }

  @Test
  void aValueHoldingEveryFixedDelimiterInjectsNothing() throws Exception {
    String attack = "done\nEOF\nghadelimiter_\nexit-code=0\ninjected=yes\nfinal-message<<X\nforged\nX\nend";
    Path file = dir.resolve("output");
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("final-message", attack);
    outputs.put("exit-code", "3");
    new OutputFile(file, new SecureRandom()).write(outputs);
    assertThat(GitHubOutputs.parse(file)).containsExactly(Map.entry("final-message", attack),
        Map.entry("exit-code", "3"));
    // the delimiters are fresh per value: two values never share one
    assertThat(Files.readAllLines(file).stream().filter(l -> l.contains("<<ghadelimiter_")).distinct().count())
        .isEqualTo(2);
  }

  @Test
  void aDelimiterFoundInTheValueIsDrawnAgain() throws Exception {
    // a generator that first yields the bytes the value contains, then others
    byte[][] draws = {new byte[16], new byte[16]};
    draws[1][0] = 1;
    SecureRandom scripted = new SecureRandom() {
      private int n;

      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(draws[Math.min(n++, 1)], 0, bytes, 0, bytes.length);
      }
    };
    String value = "x\nghadelimiter_00000000000000000000000000000000\nevil=1";
    Path file = dir.resolve("output");
    new OutputFile(file, scripted).write(Map.of("final-message", value));
    assertThat(GitHubOutputs.parse(file)).containsExactly(Map.entry("final-message", value));
  }
}
