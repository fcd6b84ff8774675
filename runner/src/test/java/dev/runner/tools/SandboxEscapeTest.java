package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.RunnerException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attacks a model-run command could try, run for real through the command host in each isolated
 * sandbox mode; each must fail. Where an attack could fail for a reason of its own (a missing
 * program, a typo), the same command is first shown to work without the sandbox. The folders the
 * attacks aim at lie outside {@code /tmp}, which the sandbox replaces with its own, so that a
 * refusal proves the sandbox and not the private {@code /tmp}. Runs as root and, through {@code
 * ci/escape-suite.sh}, as an ordinary user.
 */
class SandboxEscapeTest {
  @org.junit.jupiter.api.AfterAll
  static void removeScratch() throws IOException {
    OutsideTmp.removeAll();
  }

  @TempDir
  Path workspace;

  /** Outside {@code /tmp} (see {@link OutsideTmp}). */
  private Path scratch;
  private Path home;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final ShellTool shell = new ShellTool();

  @BeforeEach
  void setUp() throws IOException {
    try {
      Sandbox.check(SandboxMode.READ_ONLY, workspace, Contexts.baseEnvironment());
    } catch (RunnerException e) {
      Assumptions.abort("the escape suite needs bubblewrap (install: apt-get install bubblewrap): " + e.getMessage());
    }
    scratch = OutsideTmp.newFolder("escape", "case-");
    home = Files.createDirectory(scratch.resolve("home"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
    try (var paths = Files.walk(scratch)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The commands' environment: HOME points at the test's home. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(Contexts.baseEnvironment());
    env.put("HOME", home.toString());
    return env;
  }

  private ToolContext context(SandboxMode mode, Map<String, String> env) {
    ToolContext context = ToolContext.of(workspace, mode, env, Duration.ofMinutes(2));
    cleanup.add(context);
    return context;
  }

  private String run(SandboxMode mode, String script) {
    return run(context(mode, environment()), script);
  }

  private String run(ToolContext context, String script) {
    ToolResult result = shell.run(CommandHostTest.script(script), context);
    assertThat(result.detail()).as(result.output()).isInstanceOf(ToolResult.CommandRun.class);
    return ((ToolResult.CommandRun) result.detail()).aggregatedOutput();
  }

  /** The system's python3 (a user's shims may not work with the test's HOME), else the one on PATH. */
  private static String python() {
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return "/usr/bin/python3";
    }
    return ProgramLocator.locate("python3", Path.of("/"), Contexts.baseEnvironment())
        .map(Path::toString)
        .orElseThrow(() -> new AssertionError(
            "the escape suite connects to Unix sockets with python3, which is not on PATH (apt-get install python3)"));
  }

  // --- the file system ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void remountingTheWorkspaceOrGitReadWriteFails(SandboxMode mode) throws IOException {
    Files.createDirectories(workspace.resolve(".git/hooks"));

    String out = run(mode, "mount -o remount,bind,rw \"$PWD\"; mount -o remount,bind,rw \"$PWD/.git\";"
        + " touch .git/hooks/remounted && echo HOOK; touch remounted && echo WROTE");

    assertThat(out).doesNotContain("HOOK");
    assertThat(workspace.resolve(".git/hooks/remounted")).doesNotExist();
    if (mode == SandboxMode.READ_ONLY) {
      assertThat(out).doesNotContain("WROTE");
      assertThat(workspace.resolve("remounted")).doesNotExist();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void remountingTheRootReadWriteFails(SandboxMode mode) {
    Path target = scratch.resolve("via-root");

    String out = run(mode, "mount -o remount,bind,rw /; mount -o remount,rw /; touch " + target + " && echo WROTE");

    assertThat(out).doesNotContain("WROTE");
    assertThat(target).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void writingOutsideTheWorkspaceFails(SandboxMode mode) {
    Path target = scratch.resolve("outside");

    String out = run(mode, "echo x > " + target + " && echo WROTE; touch \"$HOME/.bashrc\" && echo WROTE;"
        + " ln -s " + scratch + " link && echo x > link/via-link && echo WROTE");

    assertThat(out).doesNotContain("WROTE");
    assertThat(target).doesNotExist();
    assertThat(home.resolve(".bashrc")).doesNotExist();
    assertThat(scratch.resolve("via-link")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void gitHooksAndConfigCannotBePlanted(SandboxMode mode) throws IOException {
    Files.createDirectories(workspace.resolve(".git/hooks"));
    Files.writeString(workspace.resolve(".git/config"), "[core]\n");

    String out = run(mode, "echo 'echo pwned' > .git/hooks/pre-commit && echo HOOK;"
        + " git config --file .git/config core.fsmonitor 'echo pwned' && echo CONFIG;"
        + " printf '[core]\\n\\thooksPath = /x\\n' >> .git/config && echo APPENDED;"
        + " rm -rf .git/hooks && echo REMOVED; mv .git .git-moved && echo MOVED; touch ok-elsewhere");

    assertThat(out).doesNotContain("HOOK", "CONFIG", "APPENDED", "REMOVED", "MOVED");
    assertThat(workspace.resolve(".git/hooks/pre-commit")).doesNotExist();
    assertThat(workspace.resolve(".git/config")).hasContent("[core]\n");
    if (mode == SandboxMode.WORKSPACE_WRITE) {
      // the rest of the workspace stays writable
      assertThat(workspace.resolve("ok-elsewhere")).exists();
    }
  }

  @Test
  void aWorktreesGitFileCannotBeRedirected() throws IOException {
    Path gitdir = Files.createDirectories(scratch.resolve("main/.git/worktrees/ws"));
    Files.writeString(workspace.resolve(".git"), "gitdir: " + gitdir + "\n");

    String out = run(SandboxMode.WORKSPACE_WRITE,
        "echo 'gitdir: /elsewhere' > .git && echo WROTE; touch " + gitdir.resolve("HEAD") + " && echo WROTE");

    assertThat(out).doesNotContain("WROTE");
    assertThat(workspace.resolve(".git")).hasContent("gitdir: " + gitdir + "\n");
    assertThat(gitdir.resolve("HEAD")).doesNotExist();
  }

  // --- credentials on disk ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void credentialStoresInHomeCannotBeRead(SandboxMode mode) throws IOException {
    Map<String, String> planted = new HashMap<>();
    for (String file : List.of(".ssh/id_ed25519", ".aws/credentials", ".docker/config.json", ".git-credentials",
        ".netrc", ".kube/config", ".gnupg/private-keys-v1.d/key", ".config/gh/hosts.yml", ".npmrc", ".pypirc",
        ".m2/settings-security.xml")) {
      Path path = home.resolve(file);
      Files.createDirectories(path.getParent());
      String secret = "SECRET-" + file.replaceAll("[^a-z0-9]", "") + "-" + System.nanoTime();
      Files.writeString(path, secret + "\n");
      planted.put(file, secret);
    }
    String list = String.join(" ", planted.keySet());
    // unmounting what hides them would show them again
    String probe = "cd \"$HOME\" && for d in .ssh .aws .docker .gnupg .kube .config/gh; do umount -l \"$d\"; done"
        + " 2>/dev/null; cat " + list + " 2>&1; grep -r SECRET- . 2>&1; echo DONE";

    String open = run(SandboxMode.DANGER_FULL_ACCESS, probe);
    String sandboxed = run(mode, probe);

    assertThat(open).contains(planted.values());
    assertThat(sandboxed).endsWith("DONE\n");
    for (String secret : planted.values()) {
      assertThat(sandboxed).doesNotContain(secret);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void mavenSettingsKeepTheirMirrorsButLoseTheirPasswords(SandboxMode mode) throws IOException {
    Path settings = Files.createDirectories(home.resolve(".m2")).resolve("settings.xml");
    Files.writeString(settings,
        """
            <settings>
              <mirrors><mirror><id>corp</id><url>https://repo.example/maven</url><mirrorOf>*</mirrorOf></mirror></mirrors>
              <servers><server><id>corp</id><username>ci-bot</username><password>hunter2-secret</password></server></servers>
            </settings>
            """);

    String out = run(mode, "cat \"$HOME/.m2/settings.xml\"; echo DONE");

    assertThat(out).contains("<mirrorOf>*</mirrorOf>", "<id>corp</id>").doesNotContain("hunter2-secret");
  }

  // --- sockets and the network ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void unixSocketsUnderRunAndHomeCannotBeReached(SandboxMode mode) throws IOException {
    List<Path> sockets = List.of(listenUnix(runFolder().resolve("agent.sock")), listenUnix(home.resolve("agent.sock")),
        listenUnix(Files.createDirectories(home.resolve(".cache/tool")).resolve("daemon.sock")));
    String probe = "umount -l /run 2>/dev/null; for s in "
        + String.join(" ", sockets.stream().map(Path::toString).toList())
        + "; do "
        + python() + " -c 'import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
        + "print(\"CONNECTED\", s.recv(5))' \"$s\" 2>&1 | tail -n 1; done";

    String open = run(SandboxMode.DANGER_FULL_ACCESS, probe);
    int acceptedOpen = accepted.get();
    String sandboxed = run(mode, probe);

    assertThat(open.lines().filter(l -> l.startsWith("CONNECTED b'HELLO'"))).hasSize(sockets.size());
    assertThat(sandboxed).doesNotContain("CONNECTED");
    assertThat(accepted.get()).isEqualTo(acceptedOpen);
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void abstractUnixSocketsCannotBeReached(SandboxMode mode) throws Exception {
    String name = "runner-escape-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Process server = new ProcessBuilder(python(), "-c", """
        import socket,sys
        s=socket.socket(socket.AF_UNIX); s.bind("\\0"+sys.argv[1]); s.listen(); print("READY", flush=True)
        while True:
            c,_=s.accept(); c.send(b"HELLO"); c.close()
        """, name).redirectErrorStream(true).start();
    cleanup.add(server::destroyForcibly);
    assertThat(new String(server.getInputStream().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("READY\n");
    String probe = python()
        + " -c 'import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(\"\\0\"+sys.argv[1])\n"
        + "print(\"CONNECTED\", s.recv(5))' " + name + " 2>&1 | tail -n 1";

    String open = run(SandboxMode.DANGER_FULL_ACCESS, probe);
    String sandboxed = run(mode, probe);

    assertThat(open).startsWith("CONNECTED b'HELLO'");
    assertThat(sandboxed).doesNotContain("CONNECTED");
  }

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void aLoopbackPortCannotBeReached(SandboxMode mode) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    cleanup.add(server);
    AtomicInteger connections = new AtomicInteger();
    Thread.ofPlatform().daemon().start(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          s.getOutputStream().write("HELLO\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          return;
        }
      }
    });
    String probe = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && read -r l <&3 && echo \"GOT $l\"";

    String open = run(SandboxMode.DANGER_FULL_ACCESS, probe);
    int before = connections.get();
    String sandboxed = run(mode, probe);

    assertThat(open).isEqualTo("GOT HELLO\n");
    assertThat(sandboxed).doesNotContain("GOT");
    assertThat(connections.get()).isEqualTo(before);
  }

  // --- other processes ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void processesOutsideCannotBeSignalledTracedOrRead(SandboxMode mode) throws Exception {
    String marker = "OUTSIDE-" + System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder("sleep", "600");
    builder.environment().put("ESCAPE_MARKER", marker);
    Process victim = builder.start();
    cleanup.add(victim::destroyForcibly);
    long pid = victim.pid();
    String probe = "kill -0 " + pid + " && echo SIGNALLED;"
        + " tr '\\0' '\\n' < /proc/" + pid + "/environ 2>&1 | grep ESCAPE_MARKER;"
        + python() + " -c 'import ctypes,sys\nlibc=ctypes.CDLL(None,use_errno=True)\np=int(sys.argv[1])\n"
        + "if libc.ptrace(16,p,0,0)==0:\n    print(\"ATTACHED\")\n    libc.ptrace(17,p,0,0)' " + pid + ";"
        + " kill -TERM " + pid + " && echo KILLED; echo DONE";

    // the probe itself works outside any runner (danger-full-access has a PID namespace of its own now)
    Process plain = new ProcessBuilder("bash", "-c", "kill -0 " + pid + " && echo SIGNALLED")
        .redirectErrorStream(true).start();
    assertThat(plain.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String open = new String(plain.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String sandboxed = run(mode, probe);

    assertThat(open).isEqualTo("SIGNALLED\n");
    assertThat(sandboxed).endsWith("DONE\n").doesNotContain("SIGNALLED", marker, "ATTACHED", "KILLED");
    assertThat(victim.isAlive()).as("the process outside still runs").isTrue();
  }

  // --- secrets in the environment ---

  @ParameterizedTest
  @EnumSource(names = {"READ_ONLY", "WORKSPACE_WRITE"})
  void secretVariablesDoNotReachCommands(SandboxMode mode) {
    Map<String, String> env = environment();
    Map<String, String> secrets = Map.of(
        "AWS_SECRET_ACCESS_KEY", "aws-" + System.nanoTime(),
        "DOCKER_PASSWORD", "docker-" + System.nanoTime(),
        // a provider's env_key named as in README's example
        "CORP_LLM_KEY", "corp-" + System.nanoTime());
    env.putAll(secrets);
    env.put("ESCAPE_VISIBLE", "visible");

    String out = run(context(mode, env), "env");

    assertThat(out).contains("ESCAPE_VISIBLE=visible");
    assertThat(secrets.keySet().stream().filter(name -> out.contains(secrets.get(name))))
        .as("secret variables a command saw")
        .isEmpty();
  }

  // --- helpers ---

  private final AtomicInteger accepted = new AtomicInteger();

  /** A folder under /run (where system daemons keep their sockets); /run/lock when /run is not ours to write. */
  private Path runFolder() throws IOException {
    for (String parent : List.of("/run", "/run/lock", "/var/run")) {
      Path dir = Path.of(parent);
      if (Files.isDirectory(dir) && Files.isWritable(dir)) {
        Path made = Files.createTempDirectory(dir, "runner-escape-");
        cleanup.add(() -> deleteTree(made));
        return made;
      }
    }
    throw new AssertionError("neither /run nor /run/lock is writable: the escape suite cannot plant its socket");
  }

  private Path listenUnix(Path path) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    cleanup.add(() -> {
      server.close();
      Files.deleteIfExists(path);
    });
    Thread.ofPlatform().daemon().start(() -> {
      while (server.isOpen()) {
        try (SocketChannel c = server.accept()) {
          accepted.incrementAndGet();
          c.write(ByteBuffer.wrap("HELLO".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
          return;
        }
      }
    });
    return path;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

}
