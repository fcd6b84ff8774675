package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Which conversation a create belongs to, so that one-shot faults ({@code KIND@N}) hit every conversation once:
 *
 * <ol>
 *   <li>{@code prompt_cache_key} when the client sends one (codex sends its conversation id; runner sends none);
 *   <li>else a digest of the conversation's start: {@code instructions}, the first user item, and the first
 *       {@code call_id} in the conversation. The conversation is the resolved one (a chained request's parent items
 *       come first), so a chained request and the same turn sent as full input get the same key, and it is the
 *       chain's root that decides.
 * </ol>
 *
 * The first {@code call_id} is one the emulator made, unique per server, so from the first tool call on two
 * conversations never share a key. Before it (turn 1) two conversations with the same instructions and prompt share
 * one; {@link TurnFaults} tells them apart by order (a retry comes before the next conversation).
 */
final class ConversationKey {
  private ConversationKey() {}

  /** The key of {@code req}, whose whole conversation (parent items, then input) is {@code items}. */
  static String of(CreateRequest req, List<JsonNode> items) {
    JsonNode cacheKey = req.body().get("prompt_cache_key");
    if (cacheKey != null && cacheKey.isTextual() && !cacheKey.asText().isEmpty()) {
      return "key:" + cacheKey.asText();
    }
    MessageDigest sha = sha256();
    update(sha, req.body().get("instructions"));
    JsonNode user = null;
    String callId = null;
    for (JsonNode i : items) {
      if (user == null && "user".equals(i.path("role").asText())) {
        user = i;
      }
      if (callId == null && i.hasNonNull("call_id")) {
        callId = i.get("call_id").asText();
      }
      if (user != null && callId != null) {
        break;
      }
    }
    update(sha, user);
    sha.update((byte) 0);
    if (callId != null) {
      sha.update(callId.getBytes(StandardCharsets.UTF_8));
    }
    return "sha:" + HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static void update(MessageDigest sha, JsonNode node) {
    sha.update((byte) 0);
    if (node != null && !node.isNull()) {
      sha.update((node.isTextual() ? node.asText() : node.toString()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
