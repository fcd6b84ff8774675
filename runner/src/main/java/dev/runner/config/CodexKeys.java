package dev.runner.config;

import java.util.List;
import java.util.Optional;

/**
 * The codex keys that shape what a run sends and where its tools may write, resolved like every other key (flags,
 * {@code -c}, profile, files). Each is optional as in codex: an unset key sends nothing.
 *
 * @param reasoningEffort {@code model_reasoning_effort}: none, minimal, low, medium, high, xhigh [unset]
 * @param reasoningSummary {@code model_reasoning_summary}: auto, concise, detailed, none [unset]
 * @param verbosity {@code model_verbosity}: low, medium, high [unset]
 * @param supportsReasoningSummaries {@code model_supports_reasoning_summaries}: true sends {@code reasoning} even with
 *     no effort or summary set (summary auto, as codex does for such a model); false sends none [unset]
 * @param sandboxMode {@code sandbox_mode}: read-only, workspace-write, danger-full-access [unset: read-only]
 * @param writableRoots {@code sandbox_workspace_write.writable_roots}: more folders writable under workspace-write
 * @param networkAccess {@code sandbox_workspace_write.network_access}: commands keep the network under
 *     workspace-write [false]
 * @param projectDocMaxBytes {@code project_doc_max_bytes}: the AGENTS.md budget, 0 turns project docs off [32768]
 * @param projectDocFallbackFilenames {@code project_doc_fallback_filenames}: names tried after AGENTS.md in each folder
 */
public record CodexKeys(
    Optional<String> reasoningEffort,
    Optional<String> reasoningSummary,
    Optional<String> verbosity,
    Optional<Boolean> supportsReasoningSummaries,
    Optional<String> sandboxMode,
    List<String> writableRoots,
    boolean networkAccess,
    long projectDocMaxBytes,
    List<String> projectDocFallbackFilenames) {

  /** codex's default for {@code project_doc_max_bytes}: 32 KiB. */
  public static final long DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;

  public static final List<String> EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");
  public static final List<String> SUMMARIES = List.of("auto", "concise", "detailed", "none");
  public static final List<String> VERBOSITIES = List.of("low", "medium", "high");
  public static final List<String> SANDBOX_MODES = List.of("read-only", "workspace-write", "danger-full-access");

  public CodexKeys {
    writableRoots = List.copyOf(writableRoots);
    projectDocFallbackFilenames = List.copyOf(projectDocFallbackFilenames);
  }

  /** Nothing set: the defaults. */
  public static CodexKeys defaults() {
    return new CodexKeys(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), false, DEFAULT_PROJECT_DOC_MAX_BYTES, List.of());
  }

  /**
   * Whether a request carries {@code reasoning}: when an effort or a summary is set, or the model is declared to
   * support summaries; never when it is declared not to.
   */
  public boolean sendsReasoning() {
    if (supportsReasoningSummaries.isPresent()) {
      return supportsReasoningSummaries.get();
    }
    return reasoningEffort.isPresent() || reasoningSummary.isPresent();
  }

  /** Reads the keys from {@code layers}, recording each one's source in {@code sources}. */
  static CodexKeys resolve(Layers layers, java.util.Map<String, Provenance> sources) {
    return new CodexKeys(
        layers.optionalString(List.of("model_reasoning_effort"), "model_reasoning_effort", sources),
        layers.optionalString(List.of("model_reasoning_summary"), "model_reasoning_summary", sources),
        layers.optionalString(List.of("model_verbosity"), "model_verbosity", sources),
        layers.get(List.of("model_supports_reasoning_summaries"), "model_supports_reasoning_summaries", sources)
            .map(f -> f.value().asBoolean()),
        layers.optionalString(List.of("sandbox_mode"), "sandbox_mode", sources),
        layers.stringList(List.of("sandbox_workspace_write", "writable_roots"),
            "sandbox_workspace_write.writable_roots", sources),
        layers.bool(List.of("sandbox_workspace_write", "network_access"), false,
            "sandbox_workspace_write.network_access", sources),
        layers.number(List.of("project_doc_max_bytes"), DEFAULT_PROJECT_DOC_MAX_BYTES, "project_doc_max_bytes",
            sources),
        layers.stringList(List.of("project_doc_fallback_filenames"), "project_doc_fallback_filenames", sources));
  }
}
