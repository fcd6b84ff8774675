package dev.runner.transport.emulated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay to a local port whose open connections can be turned into black holes: bytes are still read from both
 * ends and thrown away, nothing is forwarded and nothing is closed, as when a NAT or a proxy forgets a connection
 * without telling either side. Connections made after {@link #blackHole} are relayed normally.
 */
final class BlackHoleRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Pair> pairs = new CopyOnWriteArrayList<>();
  private final AtomicInteger closedByClient = new AtomicInteger();

  private final class Pair {
    final Socket client;
    final Socket upstream;
    volatile boolean hole;

    Pair(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void pump(InputStream in, OutputStream out, boolean fromClient) {
      byte[] buf = new byte[16384];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!hole) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // the other side went away; counted below as an end
      }
      if (fromClient && hole) {
        closedByClient.incrementAndGet();
      }
      close();
    }

    void close() {
      try {
        client.close();
        upstream.close();
      } catch (IOException e) {
        // closing a socket twice is fine
      }
    }
  }

  BlackHoleRelay(int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("relay-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every connection open now stops forwarding, silently. */
  void blackHole() {
    pairs.forEach(p -> p.hole = true);
  }

  /** Black-holed connections whose client end has since closed them. */
  int closedByClient() {
    return closedByClient.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        Pair p = new Pair(client, upstream);
        pairs.add(p);
        Thread.ofPlatform().daemon().name("relay-up").start(() -> {
          try {
            p.pump(client.getInputStream(), upstream.getOutputStream(), true);
          } catch (IOException e) {
            p.close();
          }
        });
        Thread.ofPlatform().daemon().name("relay-down").start(() -> {
          try {
            p.pump(upstream.getInputStream(), client.getOutputStream(), false);
          } catch (IOException e) {
            p.close();
          }
        });
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    pairs.forEach(Pair::close);
  }
}
