package dev.runner.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names MCP tools get in requests, as codex gives them: {@code mcp__SERVER__TOOL}, every character outside
 * {@code [a-zA-Z0-9_-]} (the Responses API's rule) replaced by {@code _}, and a name over 64 characters cut to its
 * first 24 followed by the 40 hex digits of the SHA-1 of the unsanitized name, so that long names stay distinct and
 * stable.
 */
final class ToolNames {
  static final String PREFIX = "mcp";
  static final String DELIMITER = "__";
  static final int MAX_LENGTH = 64;

  private ToolNames() {}

  /** The name the model calls {@code tool} of {@code server} by. */
  static String qualified(String server, String tool) {
    String raw = PREFIX + DELIMITER + server + DELIMITER + tool;
    String name = sanitize(raw);
    if (name.length() > MAX_LENGTH) {
      String sha1 = sha1(raw);
      name = name.substring(0, MAX_LENGTH - sha1.length()) + sha1;
    }
    return name;
  }

  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    // by code point, as codex walks characters: a character outside the BMP becomes one '_', not two
    name.codePoints().forEach(c -> sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')
        ? (char) c
        : '_'));
    return sb.isEmpty() ? "_" : sb.toString();
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }
}
