package dev.runner.tools;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which paths the read-only and workspace-write sandboxes hide from commands: {@link #DEFAULT_HIDDEN} (credential
 * stores), plus {@code hide}, minus {@code expose} (config keys {@code sandbox_paths.hide} and {@code
 * sandbox_paths.expose}). A hidden folder shows empty and read-only; a hidden file shows empty, except Maven's {@code
 * settings.xml}, which keeps everything but its passwords (an empty one stops every Maven build). Everything else
 * stays readable, so that tool chains and caches under {@code $HOME} ({@code ~/.m2/repository}, {@code ~/.npm},
 * {@code ~/.cargo}, ...) keep working.
 *
 *
 * <p>Under {@link SandboxMode#WORKSPACE_WRITE} it also says what codex's {@code [sandbox_workspace_write]} and {@code
 * --add-dir} widen: more folders writable besides the workspace (each with its {@code .git} read-only, as the
 * workspace's) and whether commands keep the network. The other modes ignore both.
 *
 * @param hide paths hidden besides the defaults: absolute, or {@code ~} / {@code ~/...} for the commands' {@code
 *     $HOME} (and the runner user's own home)
 * @param expose paths of the defaults to leave visible, spelled as in {@link #DEFAULT_HIDDEN} or expanded
 * @param writableRoots folders writable besides the workspace, as real paths (see {@link WritableRoots#resolve})
 * @param networkAccess whether commands keep the host's network (no network namespace of their own)
 */
public record SandboxPolicy(List<String> hide, List<String> expose, List<Path> writableRoots, boolean networkAccess) {
  /**
   * Credential stores of common tools; what a model-run command prints goes to the model, so none of them should be
   * readable.
   */
  public static final List<String> DEFAULT_HIDDEN = List.of(
      "~/.ssh",
      "~/.gnupg",
      "~/.aws",
      "~/.azure",
      "~/.config/gcloud",
      "~/.kube",
      "~/.docker",
      "~/.config/containers/auth.json",
      "~/.git-credentials",
      "~/.config/git/credentials",
      "~/.config/gh",
      "~/.config/hub",
      "~/.netrc",
      "~/.npmrc",
      "~/.yarnrc.yml",
      "~/.pypirc",
      "~/.m2/settings.xml",
      "~/.m2/settings-security.xml",
      "~/.gradle/gradle.properties",
      "~/.ivy2/.credentials",
      "~/.cargo/credentials",
      "~/.cargo/credentials.toml",
      "~/.gem/credentials",
      "~/.terraform.d/credentials.tfrc.json",
      "~/.vault-token",
      "~/.pgpass",
      "~/.password-store",
      "~/.local/share/keyrings",
      "~/.config/rclone",
      "~/.s3cfg",
      "~/.boto",
      "~/.oci",
      "~/.codex/auth.json",
      // typed commands hold tokens as often as not
      "~/.bash_history",
      "~/.zsh_history");

  /** The defaults alone. */
  public static final SandboxPolicy DEFAULT = new SandboxPolicy(List.of(), List.of());

  /**
   * @throws IllegalArgumentException for a path that is neither absolute nor {@code ~/...}, or a writable root that is
   *     not absolute
   */
  public SandboxPolicy {
    hide = List.copyOf(hide);
    expose = List.copyOf(expose);
    writableRoots = List.copyOf(writableRoots);
    for (Path root : writableRoots) {
      if (!root.isAbsolute()) {
        throw new IllegalArgumentException("writable root '" + root + "' must be an absolute path");
      }
    }
    for (String p : hide) {
      check(p, "sandbox_paths.hide");
    }
    for (String p : expose) {
      check(p, "sandbox_paths.expose");
    }
  }

  /** Hides what {@code hide} and {@code expose} say; no writable root besides the workspace, no network. */
  public SandboxPolicy(List<String> hide, List<String> expose) {
    this(hide, expose, List.of(), false);
  }

  /** A copy that lets {@code roots} be written and, with {@code network}, keeps the network. */
  public SandboxPolicy withWorkspaceWrite(List<Path> roots, boolean network) {
    return new SandboxPolicy(hide, expose, roots, network);
  }

  private static void check(String path, String key) {
    Objects.requireNonNull(path, key);
    boolean ok;
    try {
      ok = path.equals("~") || path.startsWith("~/") || Path.of(path).isAbsolute();
    } catch (InvalidPathException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          key + ": '" + path + "' must be an absolute path, ~ or ~/... (the commands' $HOME)");
    }
  }

  /**
   * The paths to hide, with {@code ~} expanded to each of {@code homes}; those that do not exist are left to the
   * caller.
   */
  List<Path> hidden(List<Path> homes) {
    Set<Path> exposed = new LinkedHashSet<>();
    for (String p : expose) {
      exposed.addAll(expand(p, homes));
    }
    List<String> all = new ArrayList<>(DEFAULT_HIDDEN);
    all.addAll(hide);
    Set<Path> out = new LinkedHashSet<>();
    for (String p : all) {
      for (Path path : expand(p, homes)) {
        if (!exposed.contains(path)) {
          out.add(path);
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<Path> expand(String path, List<Path> homes) {
    if (path.equals("~")) {
      return homes;
    }
    if (!path.startsWith("~/")) {
      return List.of(Path.of(path).normalize());
    }
    return homes.stream().map(h -> h.resolve(path.substring(2)).normalize()).toList();
  }
}
