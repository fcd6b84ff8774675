package dev.runner.tools;

import dev.runner.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the command that starts the command host under bubblewrap, for one run: what the kernel allows is probed
 * once (at the first start, by reading two files under {@code /proc}) and said once on stderr when the sandbox must
 * do without; what to hide is looked up at each start, as the host may restart. Thread-safe.
 */
final class SandboxLauncher {
  private static final Log LOG = Log.of("tools");
  private static final Pattern MAVEN_SECRET = Pattern.compile(
      "(<(password|passphrase)>)(.*?)(</\\2>)", Pattern.DOTALL);
  private static final String FILTER_FILE = "socket-filter.bpf";

  private final SandboxPolicy policy;
  private final Object lock = new Object();
  private Probe probe;

  /** What this kernel lets bubblewrap do; see {@link #probe()}. */
  private record Probe(boolean userNamespace, Optional<byte[]> filter) {}

  SandboxLauncher(SandboxPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * The argv that starts {@code program} under bubblewrap, writing into {@code dir} (the host's private folder,
   * bound writable) what the sandbox reads from there: the seccomp program and the stand-ins of hidden files.
   *
   * @param environment the commands' environment: its {@code HOME} is where {@code ~/} paths are hidden
   */
  List<String> command(
      Path bwrap, SandboxMode mode, Path workspace, Path dir, Map<String, String> environment, List<String> program)
      throws IOException {
    Probe p = probe();
    List<Path> homes = homes(environment);
    List<Path> scratch = scratch();
    List<Path> roots = mode == SandboxMode.WORKSPACE_WRITE ? policy.writableRoots() : List.of();
    List<Path> bound = new ArrayList<>(List.of(workspace));
    bound.addAll(roots);
    List<Path> folders = new ArrayList<>();
    Map<Path, Path> standIns = new LinkedHashMap<>();
    for (Path path : existing(policy.hidden(homes))) {
      // under a private folder (/run/secrets) it is gone already, unless the workspace's or a root's bind brings it
      // back
      boolean gone = scratch.stream().anyMatch(path::startsWith) && bound.stream().noneMatch(path::startsWith);
      if (gone || folders.stream().anyMatch(path::startsWith)) {
        continue;
      }
      if (Files.isDirectory(path)) {
        folders.add(path);
      } else {
        standIns.put(path, standIn(path, dir));
      }
    }
    boolean network = mode == SandboxMode.WORKSPACE_WRITE && policy.networkAccess();
    if (network) {
      resolverConfig(Path.of("/etc/resolv.conf"), scratch).ifPresent(f -> standIns.putIfAbsent(f, f));
    }
    List<Path> protectedPaths = new ArrayList<>();
    for (Path root : bound) {
      GitMetadata.paths(root, bound).stream().filter(g -> !protectedPaths.contains(g)).forEach(protectedPaths::add);
    }
    BwrapCommand.Layout layout = new BwrapCommand.Layout(mode, workspace, dir, List.of(dir), scratch, protectedPaths,
        folders, standIns, p.userNamespace(), p.filter().isPresent(), roots, network);
    List<String> argv = BwrapCommand.wrap(bwrap, layout, program);
    if (p.filter().isEmpty()) {
      return argv;
    }
    // bwrap reads the program from a file descriptor, which a Java child cannot be given: sh opens it and execs bwrap
    Path filter = Files.write(dir.resolve(FILTER_FILE), p.filter().get());
    Path sh = ProgramLocator.locate("sh", Path.of("/"), Map.of("PATH", "/usr/bin:/bin"))
        .orElseThrow(() -> new IOException("sh is missing from /usr/bin and /bin"));
    List<String> wrapped = new ArrayList<>(List.of(
        sh.toString(), "-c", "exec \"$@\" " + BwrapCommand.SECCOMP_FD + "<\"$0\"", filter.toString()));
    wrapped.addAll(argv);
    return wrapped;
  }

  /**
   * The file {@code resolvConf} leads to when it lies in a private folder of the sandbox: with the network, names must
   * still resolve, and systemd-resolved's hosts link {@code /etc/resolv.conf} into {@code /run}. Bound read-only where
   * it lies, over the empty {@code /run} (as a stand-in of itself).
   */
  static Optional<Path> resolverConfig(Path resolvConf, List<Path> scratch) {
    try {
      Path real = resolvConf.toRealPath();
      return Files.isRegularFile(real) && scratch.stream().anyMatch(real::startsWith)
          ? Optional.of(real)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The run's probe, made once. */
  private Probe probe() {
    synchronized (lock) {
      if (probe == null) {
        probe = new Probe(userNamespaces(), filter());
      }
      return probe;
    }
  }

  /**
   * Whether bubblewrap may create a user namespace, judged as bwrap's own {@code --unshare-user-try} does (the
   * sysctls), so that the run can say when it goes without.
   */
  private static boolean userNamespaces() {
    if (!Files.exists(Path.of("/proc/self/ns/user"))) {
      LOG.warn("the sandbox runs without a user namespace: this kernel has none; commands still have no capabilities");
      return false;
    }
    String max = read(Path.of("/proc/sys/user/max_user_namespaces"));
    String unprivileged = read(Path.of("/proc/sys/kernel/unprivileged_userns_clone"));
    if ("0".equals(max) || ("0".equals(unprivileged) && !isRoot())) {
      LOG.warn("the sandbox runs without a user namespace: user namespaces are disabled here ("
          + ("0".equals(max) ? "user.max_user_namespaces" : "kernel.unprivileged_userns_clone")
          + " = 0); commands still have no capabilities");
      return false;
    }
    return true;
  }

  private static Optional<byte[]> filter() {
    String arch = System.getProperty("os.arch", "");
    Optional<byte[]> program = SocketFilter.forArch(arch);
    if (program.isEmpty()) {
      LOG.warn("no seccomp filter for the architecture " + arch + ": in the sandbox, Unix sockets outside the hidden"
          + " folders (/run, /tmp, credential stores) stay reachable");
    } else if (!read(Path.of("/proc/self/status")).contains("\nSeccomp:")) {
      LOG.warn("this kernel has no seccomp: in the sandbox, Unix sockets outside the hidden folders (/run, /tmp,"
          + " credential stores) stay reachable");
      return Optional.empty();
    }
    return program;
  }

  private static boolean isRoot() {
    for (String line : read(Path.of("/proc/self/status")).split("\n")) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1].equals("0");
      }
    }
    return false;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The commands' home and the runner user's own, when it differs: a command can read both. */
  private static List<Path> homes(Map<String, String> environment) {
    List<Path> homes = new ArrayList<>();
    String home = environment.get("HOME");
    if (home != null && home.startsWith("/")) {
      homes.add(Path.of(home));
    }
    String own = System.getProperty("user.home");
    if (own != null && own.startsWith("/") && !homes.contains(Path.of(own))) {
      homes.add(Path.of(own));
    }
    return homes;
  }

  /** The paths that exist, as real paths (a link is hidden where it leads), shortest first. */
  private static List<Path> existing(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path path : paths) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Path real = path.toRealPath();
          if (!out.contains(real)) {
            out.add(real);
          }
        } catch (IOException e) {
          LOG.debug(() -> "cannot hide " + path + ": " + e.getMessage());
        }
      }
    }
    out.sort(Comparator.comparingInt(Path::getNameCount));
    return out;
  }

  /** Empty private folders: {@code /tmp}, {@code /run}, and {@code /var/run} unless it leads into one of them. */
  private static List<Path> scratch() {
    List<Path> dirs = new ArrayList<>(List.of(Path.of("/tmp")));
    for (String name : List.of("/run", "/var/run")) {
      try {
        Path real = Path.of(name).toRealPath();
        if (Files.isDirectory(real) && dirs.stream().noneMatch(real::startsWith)) {
          dirs.add(real);
        }
      } catch (IOException e) {
        // not there: nothing to hide
      }
    }
    return dirs;
  }

  /**
   * What a hidden file shows: Maven's settings without their passwords (their mirrors decide where the local
   * repository's artifacts count as coming from, so a build offline needs them), else nothing.
   */
  private static Path standIn(Path file, Path dir) throws IOException {
    if (file.getFileName().toString().equals("settings.xml")) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = MAVEN_SECRET.matcher(text);
        String redacted = m.replaceAll("$1hidden-by-the-runner-sandbox$4");
        Path copy = Files.createTempFile(dir, "hidden-", ".xml");
        return Files.writeString(copy, redacted, StandardCharsets.UTF_8);
      } catch (IOException e) {
        LOG.debug(() -> "cannot read " + file + " to redact it, so it shows empty: " + e.getMessage());
      }
    }
    Path empty = dir.resolve("hidden-empty");
    if (!Files.exists(empty)) {
      Files.createFile(empty);
    }
    return empty;
  }
}
