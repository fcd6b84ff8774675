package dev.runner.cli;

import dev.runner.RunnerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options of {@code codex exec} 0.169 that the runner's own surface lacked, with codex's meaning where the runner
 * can give it, accepted as no-ops where codex's meaning is about something the runner does not have (hooks, trust,
 * execpolicy rules), and refused with what to use instead where neither holds ({@code --oss}).
 */
final class CodexExecOptions {
  /** codex's {@code --color}; the runner writes no colour, so every value is accepted and has the same output. */
  enum Color {
    always,
    never,
    auto
  }

  List<Path> images = new ArrayList<>();
  List<String> enable = new ArrayList<>();
  List<String> disable = new ArrayList<>();
  boolean oss;
  String localProvider;
  boolean approveForMe;
  boolean bypassApprovalsAndSandbox;
  boolean bypassHookTrust;
  List<Path> addDirs = new ArrayList<>();
  boolean worktree;
  String threadSource;
  String cyberAccessProgram;
  boolean trust;
  boolean ignoreUserConfig;
  boolean ignoreRules;
  Color color = Color.auto;
  boolean noProjectDoc;

  void addTo(CommandSpec spec) {
    option(spec, List.class, () -> images, v -> images = v, "FILE",
        "Image(s) to attach to the prompt (repeatable, or comma-separated), sent as input_image parts.", "-i",
        "--image");
    option(spec, List.class, () -> enable, v -> enable = v, "FEATURE",
        "Same as -c features.FEATURE=true (repeatable; codex's feature flags, which the runner does not use).",
        "--enable");
    option(spec, List.class, () -> disable, v -> disable = v, "FEATURE",
        "Same as -c features.FEATURE=false (repeatable).", "--disable");
    option(spec, boolean.class, () -> bypassApprovalsAndSandbox, v -> bypassApprovalsAndSandbox = v, null,
        "Same as --sandbox danger-full-access (the runner never asks for approvals): for CI runners that are sandboxed"
            + " from outside.",
        "--dangerously-bypass-approvals-and-sandbox");
    option(spec, boolean.class, () -> approveForMe, v -> approveForMe = v, null,
        "Same as --sandbox workspace-write (exec never waits for approvals).", "--approve-for-me");
    option(spec, List.class, () -> addDirs, v -> addDirs = v, "DIR",
        "Another folder commands and apply_patch may write besides the workspace (repeatable; relative to -C), as"
            + " sandbox_workspace_write.writable_roots; its .git stays read-only. Under read-only it is ignored with a"
            + " warning, as in codex.",
        "--add-dir");
    option(spec, boolean.class, () -> worktree, v -> worktree = v, null,
        "Run in a new detached git worktree of HEAD under $RUNNER_HOME/worktrees (kept after the run).", "--worktree");
    option(spec, boolean.class, () -> ignoreUserConfig, v -> ignoreUserConfig = v, null,
        "Read neither $CODEX_HOME/config.toml nor $RUNNER_HOME/config.toml: built-ins, -c and flags only.",
        "--ignore-user-config");
    option(spec, boolean.class, () -> noProjectDoc, v -> noProjectDoc = v, null,
        "Send no AGENTS.md (same as -c project_doc_max_bytes=0).", "--no-project-doc");
    option(spec, Color.class, () -> color, v -> color = v, "always|never|auto",
        "Accepted for codex compatibility: the runner writes no colour codes.", "--color");
    option(spec, String.class, () -> threadSource, v -> threadSource = v, "SOURCE",
        "Recorded as the session's source in its session file.", "--thread-source");
    option(spec, boolean.class, () -> bypassHookTrust, v -> bypassHookTrust = v, null,
        "Accepted, no effect: the runner runs no hooks.", "--dangerously-bypass-hook-trust");
    option(spec, boolean.class, () -> trust, v -> trust = v, null,
        "Accepted, no effect: the runner keeps no trust store and reads no project config.", "--trust");
    option(spec, boolean.class, () -> ignoreRules, v -> ignoreRules = v, null,
        "Accepted, no effect: the runner loads no execpolicy .rules files.", "--ignore-rules");
    option(spec, boolean.class, () -> oss, v -> oss = v, null,
        "Refused: use --provider ID with [model_providers.ID] base_url set to your local server.", "--oss");
    option(spec, String.class, () -> localProvider, v -> localProvider = v, "OSS_PROVIDER",
        "Refused, as --oss.", "--local-provider");
    option(spec, String.class, () -> cyberAccessProgram, v -> cyberAccessProgram = v, "PROGRAM",
        "Refused: the runner does not request access programs.", "--cyber-access-program");
  }

  /** Fails on the codex options the runner refuses, saying what to use instead. */
  void refuseUnsupported() {
    if (oss || localProvider != null) {
      throw RunnerException.usage((oss ? "--oss" : "--local-provider") + " is not supported by the runner",
          "define [model_providers.local] with base_url = \"http://localhost:11434/v1\" (ollama) or"
              + " \"http://localhost:1234/v1\" (LM Studio) and pass --provider local");
    }
    if (cyberAccessProgram != null) {
      throw RunnerException.usage("--cyber-access-program is not supported by the runner",
          "omit it; the server's defaults apply");
    }
  }

  /** {@code --enable X --disable Y} as the {@code -c} overrides codex makes of them. */
  List<String> featureOverrides() {
    List<String> out = new ArrayList<>();
    enable.forEach(f -> out.add("features." + f + "=true"));
    disable.forEach(f -> out.add("features." + f + "=false"));
    return out;
  }

  private static <T> void option(CommandSpec spec, Class<T> type, Supplier<T> get, Consumer<T> set, String label,
      String description, String... names) {
    OptionSpec.Builder b = OptionBinding.bind(OptionSpec.builder(names).type(type).description(description), get, set);
    if (type == List.class) {
      b.auxiliaryTypes(names[0].equals("-i") || names[0].equals("--add-dir") ? Path.class : String.class)
          .splitRegex(",");
    }
    if (label != null) {
      b.paramLabel(label);
    }
    spec.addOption(b.build());
  }
}
