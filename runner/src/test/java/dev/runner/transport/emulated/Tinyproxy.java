package dev.runner.transport.emulated;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real tinyproxy process for a test: its own config in a temp folder, a free loopback port, only 127.0.0.1 allowed,
 * in the foreground so {@link #close()} can stop exactly this process. {@code reverseTo} makes it a gateway that
 * forwards {@code /v1/} to a base URL (and, like many gateways, drops the {@code Upgrade} header on the way).
 */
public final class Tinyproxy implements AutoCloseable {
  // Debian and Ubuntu install it in /usr/bin, other distributions in /usr/sbin
  static final Path BINARY = Files.isExecutable(Path.of("/usr/bin/tinyproxy"))
      ? Path.of("/usr/bin/tinyproxy")
      : Path.of("/usr/sbin/tinyproxy");

  private final Process process;
  private final Path log;
  public final int port;

  private Tinyproxy(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  public static Tinyproxy start(Path dir, String reverseTo) throws IOException, InterruptedException {
    return start(dir, reverseTo, "");
  }

  /**
   * With {@code extraConfig} appended to the config file, e.g. {@code "BasicAuth user pass\n"} (tinyproxy takes
   * {@code [-a-z0-9._]} in both) or {@code "ConnectPort 443\n"}.
   */
  public static Tinyproxy start(Path dir, String reverseTo, String extraConfig)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("tinyproxy.log");
    StringBuilder conf = new StringBuilder("Port " + port + "\nListen 127.0.0.1\nTimeout 30\nLogFile \"" + log
        + "\"\nLogLevel Info\nMaxClients 64\nAllow 127.0.0.1\n");
    if (reverseTo != null) {
      conf.append("ReversePath \"/v1/\" \"").append(reverseTo).append("/\"\nReverseOnly Yes\n");
    }
    conf.append(extraConfig);
    Path file = dir.resolve("tinyproxy.conf");
    Files.writeString(file, conf);
    Process p = new ProcessBuilder(BINARY.toString(), "-d", "-c", file.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
    Tinyproxy proxy = new Tinyproxy(p, log, port);
    proxy.awaitListening(Duration.ofSeconds(10));
    return proxy;
  }

  private void awaitListening(Duration max) throws InterruptedException, IOException {
    Instant until = Instant.now().plus(max);
    while (Instant.now().isBefore(until) && process.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        process.waitFor(20, TimeUnit.MILLISECONDS); // not yet listening
      }
    }
    close();
    throw new IOException("tinyproxy did not listen on " + port + " within " + max);
  }

  public String log() throws IOException {
    return Files.isReadable(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
