package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runner exec} with {@code --add-dir} and {@code [sandbox_workspace_write]} on the embedded emulator, as a CI
 * script written for codex uses them: the model's command and patch write into the added folder under
 * workspace-write; read-only ignores it with codex's warning; unusable folders are refused before any request; {@code
 * runner config} shows what a run would get.
 */
class ExecWritableRootsTest {
  @TempDir
  Path home;

  @TempDir
  Path dir;

  private Path repo;
  private Path extra;

  @BeforeEach
  void setUp() throws IOException {
    repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve(".git"));
    extra = Files.createDirectories(dir.resolve("extra"));
  }

  private static void needBwrap() {
    if (java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .noneMatch(d -> Files.isExecutable(Path.of(d, "bwrap")))) {
      Assumptions.abort("the sandbox needs bubblewrap; install: apt-get install bubblewrap");
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CODEX_HOME", home.resolve("codex").toString());
    env.put("RUNNER_HOME", home.resolve("runner").toString());
    env.remove("RUNNER_LOG");
    return env;
  }

  /** A scenario whose model runs {@code shell}, then applies {@code patch}, then answers. */
  private Path scenario(String shell, String patch) throws IOException {
    String json = Json.quote(shell);
    String p = Json.quote("*** Begin Patch\n" + patch + "*** End Patch");
    return Files.writeString(home.resolve("scenario.json"), "{\"turns\":[{\"shell\":" + json + "},{\"patch\":" + p
        + "},{\"text\":\"done\"}]}");
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of("exec", "--provider", "emulator", "--ephemeral"));
    all.addAll(List.of(args));
    return CliRun.of(CliRun.environment(env(), repo, home), all.toArray(String[]::new));
  }

  @Test
  void addDirMakesAFolderWritableForCommandsAndPatchesUnderWorkspaceWrite() throws IOException {
    needBwrap();
    Path scenario = scenario("echo from-shell > " + extra.resolve("shell.txt") + "; echo x > " + dir.resolve(
        "beside.txt") + " || echo REFUSED", "*** Add File: ../extra/patch.txt\n+from-patch\n");

    // relative to -C, as codex resolves it
    CliRun run = run("-s", "workspace-write", "--add-dir", "../extra", "-c", "emulator.scenario=" + scenario, "go");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(extra.resolve("shell.txt")).hasContent("from-shell");
    assertThat(extra.resolve("patch.txt")).hasContent("from-patch");
    assertThat(dir.resolve("beside.txt")).doesNotExist();
  }

  @Test
  void withoutTheFolderTheSameRunCannotWriteThere() throws IOException {
    needBwrap();
    Path scenario = scenario("echo from-shell > " + extra.resolve("shell.txt"),
        "*** Add File: ../extra/patch.txt\n+from-patch\n");

    CliRun run = run("-s", "workspace-write", "-c", "emulator.scenario=" + scenario, "go");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(extra.resolve("shell.txt")).doesNotExist();
    assertThat(extra.resolve("patch.txt")).doesNotExist();
  }

  @Test
  void readOnlyIgnoresAddDirWithCodexsWarning() throws IOException {
    needBwrap();
    Path scenario = scenario("echo from-shell > " + extra.resolve("shell.txt"),
        "*** Add File: ../extra/patch.txt\n+from-patch\n");

    CliRun run = run("-s", "read-only", "--add-dir", extra.toString(), "-c", "emulator.scenario=" + scenario, "go");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("Ignoring --add-dir (" + extra + ") because the effective sandbox mode is read-only."
        + " Switch to workspace-write or danger-full-access to allow additional writable roots.");
    assertThat(extra.resolve("shell.txt")).doesNotExist();
    assertThat(extra.resolve("patch.txt")).doesNotExist();
  }

  @Test
  void unusableFoldersAreRefusedWithWhatToDo() throws IOException {
    Files.writeString(dir.resolve("a-file"), "x");
    CliRun missing = run("-s", "workspace-write", "--add-dir", "no-such", "go");
    CliRun file = run("-s", "workspace-write", "--add-dir", "../a-file", "go");
    CliRun slash = run("-s", "workspace-write", "--add-dir", "/", "go");
    CliRun parent = run("-s", "workspace-write", "--add-dir", "..", "go");
    // in a config file, relative to the file's folder (codex's rule)
    Files.createDirectories(home.resolve("codex"));
    Files.writeString(home.resolve("codex/config.toml"), "[sandbox_workspace_write]\nwritable_roots = [\"missing\"]\n");
    CliRun inFile = run("-s", "workspace-write", "go");

    assertThat(List.of(missing, file, slash, parent, inFile)).allSatisfy(r -> assertThat(r.exit()).isEqualTo(2));
    assertThat(missing.err()).contains("--add-dir: 'no-such' (" + repo.resolve("no-such") + ") does not exist");
    assertThat(file.err()).contains("is not a directory");
    assertThat(slash.err()).contains("the root folder /");
    assertThat(parent.err()).contains("contains the workspace");
    assertThat(inFile.err()).contains("sandbox_workspace_write.writable_roots (" + home.resolve("codex/config.toml"))
        .contains("(" + home.resolve("codex/missing") + ") does not exist");
  }

  @Test
  void configShowsTheEffectiveRootsAndNetwork() throws IOException {
    Files.createDirectories(home.resolve("codex"));
    Files.writeString(home.resolve("codex/config.toml"), "sandbox_mode = \"workspace-write\"\n"
        + "[sandbox_workspace_write]\nwritable_roots = [\"" + extra + "\"]\nnetwork_access = true\n");

    CliRun shown = CliRun.of(CliRun.environment(env(), repo, home), "config");
    CliRun readOnly = CliRun.of(CliRun.environment(env(), repo, home), "config", "-c", "sandbox_mode=read-only");

    assertThat(shown.exit()).as(shown.err()).isZero();
    assertThat(line(shown.out(), "sandbox.writable_roots")).contains(repo.toString(), extra.toRealPath().toString());
    assertThat(line(shown.out(), "sandbox.network_access")).contains("true");
    assertThat(line(shown.out(), "sandbox_workspace_write.network_access")).contains("config.toml");
    assertThat(line(readOnly.out(), "sandbox.writable_roots")).contains("ignored");
    assertThat(line(readOnly.out(), "sandbox.network_access")).contains("false");
  }

  @Test
  void helpSaysWhatAddDirDoes() {
    CliRun help = CliRun.of(CliRun.environment(env(), repo, home), "exec", "--help");

    assertThat(help.out()).contains("--add-dir").contains("write besides the workspace");
  }

  private static String line(String out, String key) {
    return out.lines().filter(l -> l.strip().startsWith(key + " ") || l.strip().startsWith(key + "\t")
        || l.strip().startsWith(key + " =") || l.strip().startsWith(key + ":")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + key + " in:\n" + out));
  }

  /** JSON string literals for the scenario file. */
  private static final class Json {
    static String quote(String s) {
      try {
        return dev.runner.protocol.Json.MAPPER.writeValueAsString(s);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError(e);
      }
    }
  }
}
