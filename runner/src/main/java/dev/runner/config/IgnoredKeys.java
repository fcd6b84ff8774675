package dev.runner.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The unknown keys a user must hear about without {@code -v}: codex keys that change what codex would send (its
 * instructions, tools, output limits). A CI script moved from codex to the runner with one of them set would get a
 * different request silently; keys that only shape codex's own terminal or approvals stay quiet.
 */
public final class IgnoredKeys {
  /** Top-level codex keys (also inside a profile) that change a codex request's instructions, input or tools. */
  static final Set<String> CHANGE_REQUESTS = Set.of(
      "instructions", "base_instructions", "developer_instructions", "model_instructions_file",
      "experimental_instructions_file", "compact_prompt", "experimental_compact_prompt_file",
      "model_max_output_tokens", "service_tier", "tools", "web_search", "web_search_request", "features",
      "mcp_servers", "include_apply_patch_tool", "include_plan_tool", "include_view_image_tool",
      "experimental_use_freeform_apply_patch", "experimental_use_unified_exec_tool", "skills", "personality");

  private IgnoredKeys() {}

  /** The keys of {@code unknown} that change what codex would send, in the order given. */
  public static List<UnknownKey> changingRequests(List<UnknownKey> unknown) {
    return unknown.stream().filter(k -> CHANGE_REQUESTS.contains(topLevel(k.key()))).toList();
  }

  /** The one stderr line naming them, or empty when there are none. */
  public static Optional<String> notice(List<UnknownKey> unknown) {
    List<UnknownKey> keys = changingRequests(unknown);
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("runner: note: ignoring config keys that change what codex would send: "
        + keys.stream().map(UnknownKey::toString).collect(Collectors.joining(", "))
        + "; the runner does not use them (--strict-config makes unknown keys errors)");
  }

  /** {@code features.x} and {@code profiles.ci.features.x} are both {@code features}. */
  static String topLevel(String key) {
    String[] parts = key.split("\\.");
    if (parts.length >= 3 && parts[0].equals("profiles")) {
      return parts[2];
    }
    return parts[0];
  }
}
