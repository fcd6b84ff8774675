package dev.runner.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The providers every config knows, as a lowest-precedence layer; users may override any field
 * (codex does not let them, see openai/codex#13103).
 *
 * <ul>
 *   <li>{@code openai}: OpenAI at {@code https://api.openai.com/v1}, key from {@code
 *       OPENAI_API_KEY} (else {@code CODEX_API_KEY}), {@code supports_websockets = true}.
 *   <li>{@code emulator}: the Responses-API emulator started in-process on an ephemeral loopback
 *       port; no {@code base_url} (set one to use an emulator running elsewhere), no key, {@code
 *       supports_websockets = true}, {@code websocket_lanes = true}.
 * </ul>
 */
final class BuiltInProviders {
  static final String OPENAI = "openai";
  static final String EMULATOR = "emulator";

  /** Variables tried after {@code env_key} for the built-in {@code openai} provider. */
  static final List<String> OPENAI_KEY_FALLBACKS = List.of("CODEX_API_KEY");

  private BuiltInProviders() {}

  static List<String> ids() {
    return List.of(EMULATOR, OPENAI);
  }

  static Layer layer() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode providers = root.putObject("model_providers");
    ObjectNode openai = providers.putObject(OPENAI);
    openai.put("name", "OpenAI");
    openai.put("base_url", "https://api.openai.com/v1");
    openai.put("env_key", "OPENAI_API_KEY");
    openai.put("wire_api", "responses");
    openai.put("supports_websockets", true);
    ObjectNode emulator = providers.putObject(EMULATOR);
    emulator.put("name", "runner emulator (in-process)");
    emulator.put("wire_api", "responses");
    emulator.put("supports_websockets", true);
    emulator.put("websocket_lanes", true);
    return Layer.builtIn(root);
  }
}
