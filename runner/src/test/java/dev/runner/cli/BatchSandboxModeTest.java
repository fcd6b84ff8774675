package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's sandbox as exec picks it: the line's {@code sandbox}, then {@code -s}/{@code --full-auto}, then codex's
 * {@code sandbox_mode} from the task's configuration (config.toml or the line's {@code config}), else read-only. Seen
 * through {@code --workspace shared}, which refuses to start and names every task that may write.
 */
class BatchSandboxModeTest {
  @TempDir
  Path home;

  @TempDir
  Path workspace;

  private CliRun batch(String configToml, String tasks, String... flags) throws Exception {
    Files.writeString(home.resolve("config.toml"), configToml);
    Path file = Files.writeString(workspace.resolve("tasks.jsonl"), tasks);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("RUNNER_HOME", home.toString());
    env.put("CODEX_HOME", home.toString());
    env.remove("RUNNER_LOG");
    String[] args = new String[flags.length + 9];
    int i = 0;
    for (String a : new String[]{"batch", "--provider", "emulator", "--workspace", "shared", "-q", "--results"}) {
      args[i++] = a;
    }
    args[i++] = workspace.resolve("results.jsonl").toString();
    System.arraycopy(flags, 0, args, i, flags.length);
    args[args.length - 1] = file.toString();
    return CliRun.of(CliRun.environment(env, workspace, home), args);
  }

  @Test
  void sandboxModeFromTheConfigurationIsEachTasksDefault() throws Exception {
    CliRun run = batch("sandbox_mode = \"workspace-write\"\n", """
        {"id":"from-file","prompt":"a"}
        {"id":"own-line","prompt":"b","sandbox":"read-only"}
        {"id":"own-config","prompt":"c","config":{"sandbox_mode":"danger-full-access"}}
        """);
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("line 1 (from-file) workspace-write")
        .contains("line 3 (own-config) danger-full-access").doesNotContain("own-line");
  }

  @Test
  void aFlagWinsOverTheConfiguration() throws Exception {
    CliRun run = batch("sandbox_mode = \"workspace-write\"\n", """
        {"id":"one","prompt":"a"}
        """, "-s", "read-only");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("may write");
  }
}
