package dev.runner.mcp;

import dev.runner.files.TempFolders;
import dev.runner.config.McpServerConfig;
import dev.runner.environment.ShellEnvironmentPolicy;
import dev.runner.tools.ProgramSessions;
import dev.runner.tools.SandboxedProgram;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A stdio MCP server's process: started in a session of its own (so that everything it starts can be killed, also
 * what its first process left behind), with only the core variables and its {@code env}, in its {@code cwd} or the
 * workspace, and under bubblewrap when the run's sandbox isolates. The SDK's transport speaks to it; this class owns
 * its life.
 */
final class StdioProgram {
  private final Path dir;
  private final Path pidFile;
  private final Map<String, String> environment;
  private final Path directory;
  private final List<String> argv;

  StdioProgram(McpServerConfig.Stdio stdio, McpLaunch launch) throws IOException {
    environment = new ShellEnvironmentPolicy(ShellEnvironmentPolicy.Inherit.CORE, true, List.of(), stdio.env(),
        List.of()).apply(launch.environment(), launch.rule()).variables();
    Path cwd = stdio.cwd().orElse(launch.workspace());
    // in TMPDIR (else /tmp), as the command host's folder (see HostProcess)
    dir = TempFolders.createDirectory("runner-mcp-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath();
    pidFile = dir.resolve("pid");
    List<String> program = new ArrayList<>();
    program.add(stdio.command());
    program.addAll(stdio.args());
    List<String> command = new ArrayList<>();
    command.add(ProgramSessions.systemProgram("setsid").toString());
    command.add(ProgramSessions.systemProgram("sh").toString());
    command.add("-c");
    command.add("echo $$ >\"$0\" && exec \"$@\"");
    command.add(pidFile.toString());
    if (launch.sandbox().isolated()) {
      command.addAll(SandboxedProgram.argv(launch.sandbox(), launch.workspace(), dir, launch.policy(),
          environment, cwd, program));
      directory = dir;
    } else {
      command.addAll(program);
      directory = cwd;
    }
    argv = List.copyOf(command);
  }

  /** The SDK's transport, which starts the process when the client connects. */
  StdioClientTransport transport() {
    ServerParameters parameters = ServerParameters.builder(argv.getFirst())
        .args(argv.subList(1, argv.size()))
        .env(environment)
        .build();
    return new StdioClientTransport(parameters, Mcp.sdkMapper()) {
      @Override
      protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = new ProcessBuilder().directory(directory.toFile());
        builder.environment().clear(); // the SDK adds the parameters' env to this: nothing else of ours
        return builder;
      }
    };
  }

  /** The variables the server gets. */
  Map<String, String> environment() {
    return environment;
  }

  /** The session of the server's process, once it has started; -1 before. */
  long session() {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? -1 : Long.parseLong(text);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Whether the server's process (or anything in its session) still runs. */
  boolean alive() {
    long session = session();
    return session > 0 && ProgramSessions.alive(session);
  }

  /** Kills the server with everything in its session and removes its folder. */
  void kill() {
    long session = session();
    if (session > 0) {
      ProgramSessions.kill(session);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover folder under /tmp is harmless
    }
  }
}
