package dev.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.util.List;

/**
 * The request fields codex derives from its model keys, derived the same way: {@code reasoning: {effort, summary}}
 * from {@code model_reasoning_effort}/{@code model_reasoning_summary}, {@code include:
 * ["reasoning.encrypted_content"]} beside it (requests are {@code store:false}, so reasoning items come back encrypted
 * and are replayed as the history's input), and {@code text.verbosity} from {@code model_verbosity}.
 */
public final class CodexRequestFields {
  public static final String ENCRYPTED_REASONING = "reasoning.encrypted_content";

  private CodexRequestFields() {}

  /** {@code {effort?, summary?}}, or null when {@link CodexKeys#sendsReasoning()} is false. */
  public static JsonNode reasoning(CodexKeys keys) {
    if (!keys.sendsReasoning()) {
      return null;
    }
    ObjectNode r = Json.MAPPER.createObjectNode();
    keys.reasoningEffort().ifPresent(e -> r.put("effort", e));
    // "none" is codex's way of asking for no summary; the API knows only auto, concise and detailed
    String summary = keys.reasoningSummary().orElse("auto");
    if (!summary.equals("none")) {
      r.put("summary", summary);
    }
    return r;
  }

  /** {@code ["reasoning.encrypted_content"]} when reasoning is sent, else null. */
  public static List<String> include(CodexKeys keys) {
    return keys.sendsReasoning() ? List.of(ENCRYPTED_REASONING) : null;
  }

  /** The {@code text} object: {@code schemaText} (or nothing) plus {@code verbosity} when set; null when empty. */
  public static JsonNode text(ObjectNode schemaText, CodexKeys keys) {
    if (keys.verbosity().isEmpty()) {
      return schemaText;
    }
    ObjectNode text = schemaText == null ? Json.MAPPER.createObjectNode() : schemaText.deepCopy();
    text.put("verbosity", keys.verbosity().get());
    return text;
  }
}
