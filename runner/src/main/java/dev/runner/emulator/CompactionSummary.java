package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What the emulator's compaction keeps of a conversation: the task and the tool outputs so far, which is all the
 * {@link ScriptedModel} reads. It travels as a compaction item's {@code encrypted_content}: opaque to clients (base64
 * of a deflated JSON document with a marker), readable only by the emulator when the item comes back as input.
 * Deflating matters: the summary must render smaller than the history it replaces, or every later turn would cross the
 * threshold again.
 *
 * @param prompt the task (text of the latest user message)
 * @param outputs tool outputs in order, headers already removed
 */
record CompactionSummary(String prompt, List<String> outputs) {
  private static final String MARKER = "runner-emulator-compaction/1";
  private static final int MAX_INFLATED = 64 * 1024 * 1024;

  CompactionSummary {
    outputs = List.copyOf(outputs);
  }

  /** The opaque {@code encrypted_content}. */
  String encode() {
    ObjectNode o = Json.MAPPER.createObjectNode().put("v", MARKER).put("prompt", prompt);
    ArrayNode a = o.putArray("outputs");
    outputs.forEach(a::add);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION), true)) {
      out.write(o.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory deflate failed", e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * Reads back what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException when the content was not made by this emulator or was altered
   */
  static CompactionSummary decode(String encrypted) {
    if (encrypted == null || encrypted.isEmpty()) {
      throw new IllegalArgumentException("encrypted_content is missing");
    }
    JsonNode o;
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encrypted)))) {
      // bounded: a crafted item must not inflate into gigabytes
      byte[] json = in.readNBytes(MAX_INFLATED + 1);
      if (json.length > MAX_INFLATED) {
        throw new IllegalArgumentException("encrypted_content inflates past " + MAX_INFLATED + " bytes");
      }
      o = Json.MAPPER.readTree(json);
    } catch (IllegalArgumentException | IOException e) {
      throw new IllegalArgumentException("encrypted_content could not be decrypted", e);
    }
    if (o == null || !MARKER.equals(o.path("v").asText()) || !o.path("outputs").isArray()) {
      throw new IllegalArgumentException("encrypted_content could not be decrypted");
    }
    List<String> outputs = new ArrayList<>();
    o.get("outputs").forEach(n -> outputs.add(n.asText()));
    return new CompactionSummary(o.path("prompt").asText(""), outputs);
  }

  /** True when {@code item} is a compaction item. */
  static boolean isCompaction(JsonNode item) {
    return "compaction".equals(item.path("type").asText());
  }

  /** Index of the latest compaction item in {@code items}, or -1. */
  static int lastIn(List<JsonNode> items) {
    for (int k = items.size() - 1; k >= 0; k--) {
      if (isCompaction(items.get(k))) {
        return k;
      }
    }
    return -1;
  }
}
