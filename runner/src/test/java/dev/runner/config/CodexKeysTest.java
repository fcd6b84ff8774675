package dev.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** codex's model, sandbox and project-doc keys, its profile files, and which ignored keys are reported. */
class CodexKeysTest {
  @TempDir
  Path tmp;

  private ConfigInput input() throws IOException {
    Files.createDirectories(tmp.resolve("codex"));
    return ConfigInput.of(Map.of("CODEX_HOME", tmp.resolve("codex").toString(), "RUNNER_HOME",
        tmp.resolve("runner").toString()), tmp.resolve("home"), tmp);
  }

  @Test
  void keysResolveFromFilesProfilesAndOverridesWithTheirSources() throws IOException {
    ConfigInput in = input();
    Files.writeString(in.codexConfigFile(), """
        model_reasoning_effort = "low"
        model_verbosity = "high"
        sandbox_mode = "workspace-write"
        project_doc_fallback_filenames = ["CLAUDE.md"]
        [profiles.deep]
        model_reasoning_effort = "xhigh"
        """);
    RunConfig c = ConfigResolver.resolve(in.withProfile("deep").withOverrides(List.of("model_reasoning_summary=none")));
    assertThat(c.codex().reasoningEffort()).contains("xhigh");
    assertThat(c.source("model_reasoning_effort").toString()).startsWith("profile deep");
    assertThat(c.codex().reasoningSummary()).contains("none");
    assertThat(c.codex().verbosity()).contains("high");
    assertThat(c.codex().sandboxMode()).contains("workspace-write");
    assertThat(c.codex().projectDocFallbackFilenames()).containsExactly("CLAUDE.md");
    assertThat(c.codex().projectDocMaxBytes()).isEqualTo(CodexKeys.DEFAULT_PROJECT_DOC_MAX_BYTES);
    assertThat(c.codex().sendsReasoning()).isTrue();
    assertThat(c.unknownKeys()).isEmpty();
  }

  @Test
  void aValueCodexWouldRejectIsAConfigErrorNamingTheKey() throws IOException {
    ConfigInput in = input().withOverrides(List.of("model_reasoning_effort=extreme"));
    assertThatThrownBy(() -> ConfigResolver.resolve(in)).isInstanceOf(RunnerException.class)
        .hasMessageContaining("model_reasoning_effort").hasMessageContaining("one of none, minimal, low");
  }

  @Test
  void supportsReasoningSummariesFalseSendsNoReasoningEvenWithAnEffort() throws IOException {
    RunConfig c = ConfigResolver.resolve(input().withOverrides(List.of("model_reasoning_effort=high",
        "model_supports_reasoning_summaries=false")));
    assertThat(c.codex().sendsReasoning()).isFalse();
    RunConfig on = ConfigResolver.resolve(input().withOverrides(List.of("model_supports_reasoning_summaries=true")));
    assertThat(on.codex().sendsReasoning()).isTrue();
  }

  @Test
  void dashPLayersCodexHomeProfileFileAsCodex0169Does() throws IOException {
    ConfigInput in = input();
    Files.writeString(in.codexConfigFile(), "model = \"base\"\nmodel_verbosity = \"low\"\n");
    Path profile = Files.writeString(tmp.resolve("codex/ci.config.toml"), "model = \"from-profile-file\"\n");
    RunConfig c = ConfigResolver.resolve(in.withProfile("ci"));
    assertThat(c.model()).isEqualTo("from-profile-file");
    assertThat(c.codex().verbosity()).contains("low");
    assertThat(c.files()).contains(profile);
    // with --ignore-user-config the profile file is user config too
    assertThatThrownBy(() -> ConfigResolver.resolve(in.withProfile("ci"), true))
        .hasMessageContaining("unknown profile 'ci'");
  }

  @Test
  void ignoreUserConfigReadsNeitherFile() throws IOException {
    ConfigInput in = input();
    Files.writeString(in.codexConfigFile(), "model = \"from-file\"\n");
    assertThat(ConfigResolver.resolve(in).model()).isEqualTo("from-file");
    RunConfig c = ConfigResolver.resolve(in, true);
    assertThat(c.model()).isEqualTo(ConfigResolver.DEFAULT_MODEL);
    assertThat(c.files()).isEmpty();
  }

  @Test
  void onlyKeysThatChangeCodexRequestsAreNoticed() throws IOException {
    ConfigInput in = input();
    Files.writeString(in.codexConfigFile(), """
        approval_policy = "never"
        notify = ["true"]
        base_instructions = "x"
        [profiles.ci.features]
        web_search_request = true
        """);
    RunConfig c = ConfigResolver.resolve(in);
    assertThat(c.unknownKeys()).hasSize(4);
    assertThat(IgnoredKeys.changingRequests(c.unknownKeys())).extracting(UnknownKey::key)
        .containsExactly("base_instructions", "profiles.ci.features");
    assertThat(IgnoredKeys.notice(c.unknownKeys()).orElseThrow())
        .contains("base_instructions (" + in.codexConfigFile() + ":3)");
    assertThat(IgnoredKeys.notice(List.of())).isEmpty();
  }

  @Test
  void projectDocsStopAtTheGitRootAndWithoutOneReadOnlyTheWorkingDirectory() throws IOException {
    Path outer = Files.createDirectories(tmp.resolve("outer"));
    Files.writeString(outer.resolve("AGENTS.md"), "outside the repository");
    Path repo = Files.createDirectories(outer.resolve("repo"));
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve("AGENTS.md"), "repo");
    Path deep = Files.createDirectories(repo.resolve("a/b"));
    Files.writeString(deep.resolve("AGENTS.md"), "deep");
    ProjectDocs docs = ProjectDocs.read(deep, tmp.resolve("no-codex-home"), CodexKeys.defaults());
    assertThat(docs.text()).contains("repo\n\ndeep");
    assertThat(docs.files()).hasSize(2);

    Path loose = Files.createDirectories(tmp.resolve("loose/inner"));
    Files.writeString(tmp.resolve("loose/AGENTS.md"), "parent, not read");
    Files.writeString(loose.resolve("AGENTS.md"), "inner");
    assertThat(ProjectDocs.read(loose, tmp, CodexKeys.defaults()).text()).contains("inner");
  }

  @Test
  void theBudgetCutsBytesAndADanglingLinkIsSkipped() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("r"));
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve("AGENTS.md"), "ééé", StandardCharsets.UTF_8); // 6 bytes
    Path sub = Files.createDirectories(repo.resolve("s"));
    Files.createSymbolicLink(sub.resolve("AGENTS.md"), sub.resolve("missing.md"));
    CodexKeys five = new CodexKeys(java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), List.of(), false, 5,
        List.of());
    ProjectDocs docs = ProjectDocs.read(sub, tmp, five);
    assertThat(docs.truncated()).isTrue();
    assertThat(docs.text()).contains("éé\uFFFD");
    assertThat(docs.files()).containsExactly(repo.toRealPath().resolve("AGENTS.md"));
  }

  @Test
  void theGlobalOverrideWinsAndComesFirst() throws IOException {
    Path home = Files.createDirectories(tmp.resolve("codex-home"));
    Files.writeString(home.resolve("AGENTS.md"), "global");
    Files.writeString(home.resolve("AGENTS.override.md"), "global override");
    Path repo = Files.createDirectories(tmp.resolve("g"));
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve("AGENTS.md"), "project");
    ProjectDocs docs = ProjectDocs.read(repo, home, CodexKeys.defaults());
    assertThat(docs.text()).contains("global override\n\n--- project-doc ---\n\nproject");
    assertThat(docs.message(Path.of("/w")).orElseThrow())
        .isEqualTo("# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nglobal override\n\n--- project-doc ---"
            + "\n\nproject\n</INSTRUCTIONS>");
  }
}
