package dev.runner.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolNamesTest {
  @Test
  void namesAreCodexsMcpServerTool() {
    assertThat(ToolNames.qualified("everything", "get-sum")).isEqualTo("mcp__everything__get-sum");
  }

  @Test
  void charactersTheApiRefusesBecomeUnderscoresOnePerCharacter() {
    assertThat(ToolNames.qualified("docs", "search.v2 all")).isEqualTo("mcp__docs__search_v2_all");
    assertThat(ToolNames.qualified("docs", "ünï😀")).isEqualTo("mcp__docs___n__");
  }

  @Test
  void namesOver64CharactersKeep24AndTheSha1OfTheRawName() {
    String tool = "a_really_long_tool_name_that_goes_on_and_on_and_on_past_the_limit";
    String name = ToolNames.qualified("server", tool);

    assertThat(name).hasSize(64).startsWith("mcp__server__a_really_lo")
        // sha1("mcp__server__" + tool), as `printf %s ... | sha1sum` gives it
        .endsWith(sha1Hex("mcp__server__" + tool));
    assertThat(ToolNames.qualified("server", tool + "2")).isNotEqualTo(name);
  }

  private static String sha1Hex(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
