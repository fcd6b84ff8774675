package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyLinesTest {
  private static final String DOC = """
      # a comment with key = "value"
      model = "gpt-5"
      "quoted.key" = 1
      a . b = 2   # dotted with spaces

      [model_providers.x]
      name = "X"
      http_headers = { "X-A" = "1", b = { c = 3 } }
      notes = \"\"\"
      fake = "not a key"
      \"\"\"
      args = [
        "y = 1",
        { inner = 2 },
      ]
      after = true

      [[tools.list]]
      entry = 'lit'

      [profiles.'ci']
      transport = "http"
      """;

  private final KeyLines lines = KeyLines.scan(DOC);

  @Test
  void topLevelAndQuotedAndDottedKeys() {
    assertThat(lines.lineOf(List.of("model"))).isEqualTo(2);
    assertThat(lines.lineOf(List.of("quoted.key"))).isEqualTo(3);
    assertThat(lines.lineOf(List.of("a", "b"))).isEqualTo(4);
  }

  @Test
  void keysUnderTableHeaders() {
    assertThat(lines.lineOf(List.of("model_providers", "x"))).isEqualTo(6);
    assertThat(lines.lineOf(List.of("model_providers", "x", "name"))).isEqualTo(7);
    assertThat(lines.lineOf(List.of("profiles", "ci", "transport"))).isEqualTo(22);
    assertThat(lines.lineOf(List.of("tools", "list", "entry"))).isEqualTo(19);
  }

  @Test
  void inlineTablesMapToTheirLine() {
    assertThat(lines.lineOf(List.of("model_providers", "x", "http_headers", "X-A"))).isEqualTo(8);
    assertThat(lines.lineOf(List.of("model_providers", "x", "http_headers", "b", "c"))).isEqualTo(8);
  }

  @Test
  void multiLineStringsAndArraysHideTheirContents() {
    assertThat(lines.lineOf(List.of("model_providers", "x", "notes"))).isEqualTo(9);
    assertThat(lines.lineOf(List.of("fake"))).isZero();
    assertThat(lines.lineOf(List.of("model_providers", "x", "fake"))).isEqualTo(6);
    assertThat(lines.lineOf(List.of("model_providers", "x", "after"))).isEqualTo(16);
  }

  @Test
  void impliedTablesUseTheirFirstKeyAndMissingKeysTheirTable() {
    assertThat(lines.lineOf(List.of("model_providers"))).isEqualTo(6);
    assertThat(lines.lineOf(List.of("profiles", "ci", "model"))).isEqualTo(21);
    assertThat(lines.lineOf(List.of("nothing", "here"))).isZero();
  }
}
