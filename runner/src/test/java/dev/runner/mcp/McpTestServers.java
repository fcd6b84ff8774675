package dev.runner.mcp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests' MCP servers are: the third-party ones ci/mcp-servers.sh installs into .cache/mcp-servers, and the
 * misbehaving one of the test resources. Each lookup aborts the test with the install command when a piece is missing
 * (an abort fails the build under CI=true).
 */
public final class McpTestServers {
  private static final Path PROJECT = Path.of(System.getProperty("runner.projectDir", "."));

  private McpTestServers() {}

  /** The node binary. */
  public static Path node() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Assumptions.abort("node is missing; install: apt-get install nodejs npm (Node >= 20), then ci/mcp-servers.sh");
    throw new AssertionError("unreachable");
  }

  /** {@code @modelcontextprotocol/server-everything}'s entry script. */
  public static Path everything() {
    return installed("@modelcontextprotocol/server-everything/dist/index.js");
  }

  /** {@code @modelcontextprotocol/server-filesystem}'s entry script. */
  public static Path filesystem() {
    return installed("@modelcontextprotocol/server-filesystem/dist/index.js");
  }

  /**
   * {@link #filesystem()} where a sandboxed server can see it: the sandbox gives commands a private {@code /tmp}, so a
   * checkout under {@code /tmp} (a CI clone) has its installed servers copied once to {@code /var/tmp}, which the
   * sandbox leaves in place; the copy goes with the JVM.
   */
  public static Path filesystemOutsideTmp() throws java.io.IOException {
    Path script = filesystem();
    if (!script.toRealPath().startsWith("/tmp")) {
      return script;
    }
    Path modules = PROJECT.resolve(".cache/mcp-servers/node_modules").toRealPath();
    Path copy = Path.of("/var/tmp", "runner-tests-mcp-" + ProcessHandle.current().pid(), "node_modules");
    if (!Files.isDirectory(copy)) {
      Path parent = Files.createDirectories(copy.getParent());
      Process cp = new ProcessBuilder("cp", "-a", modules.toString(), parent.toString()).inheritIO().start();
      try {
        if (!cp.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || cp.exitValue() != 0) {
          throw new AssertionError("could not copy " + modules + " to " + parent);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while copying " + modules, e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var paths = Files.walk(parent)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
          // left in /var/tmp: harmless, named after this JVM's pid
        }
      }, "mcp-servers-copy-cleanup"));
    }
    return copy.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
  }

  /** The misbehaving server (resources/mcp/misbehaving-server.mjs). */
  public static Path misbehaving() {
    Path script = PROJECT.resolve("runner/src/test/resources/mcp/misbehaving-server.mjs");
    if (!Files.isRegularFile(script)) {
      throw new AssertionError("missing " + script);
    }
    return script;
  }

  private static Path installed(String relative) {
    node();
    Path script = PROJECT.resolve(".cache/mcp-servers/node_modules").resolve(relative);
    Optional.of(script).filter(Files::isRegularFile).orElseGet(() -> {
      Assumptions.abort(script + " is missing; install: ci/mcp-servers.sh");
      return null;
    });
    return script;
  }
}
