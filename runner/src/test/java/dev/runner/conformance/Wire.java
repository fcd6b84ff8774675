package dev.runner.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain JDK HTTP and WebSocket client for the emulator, so tests see exactly the bytes it sends: SSE events and
 * WebSocket frames as parsed JSON, nothing interpreted. Every wait is bounded by {@link #TIMEOUT}.
 */
final class Wire implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  static final Set<String> TERMINAL = Set.of("response.completed", "response.failed", "response.incomplete", "error");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String baseUrl;

  /** @param baseUrl {@code http://127.0.0.1:PORT/v1} */
  Wire(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A status and a body. */
  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return Captures.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    /** The {@code data:} objects of an SSE body, in order. */
    List<JsonNode> sseEvents() {
      List<JsonNode> events = new ArrayList<>();
      for (String block : body.split("\n\n")) {
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("data:")) {
            data.append(line.substring(5).strip());
          }
        }
        if (!data.isEmpty()) {
          try {
            events.add(Captures.JSON.readTree(data.toString()));
          } catch (IOException e) {
            throw new AssertionError("SSE data is not JSON: " + data, e);
          }
        }
      }
      return events;
    }
  }

  Answer post(String path, String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer conformance").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
  }

  /** Opens {@code ws://.../v1/responses} with the bearer header. */
  Socket socket() throws Exception {
    Socket socket = new Socket();
    URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/responses");
    socket.ws = http.newWebSocketBuilder().header("Authorization", "Bearer conformance").connectTimeout(TIMEOUT)
        .buildAsync(uri, socket).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return socket;
  }

  /** One WebSocket: frames received are queued as JSON. */
  static final class Socket implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(Captures.JSON.readTree(partial.toString()));
        } catch (IOException e) {
          frames.add(Captures.JSON.createObjectNode().put("type", "not-json").put("text", partial.toString()));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    void send(JsonNode frame) throws Exception {
      ws.sendText(frame.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Frames up to and including the next terminal one ({@link #TERMINAL}). */
    List<JsonNode> untilTerminal() throws InterruptedException {
      List<JsonNode> out = new ArrayList<>();
      while (true) {
        JsonNode f = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
          throw new AssertionError("no terminal frame within " + TIMEOUT + "; got " + out);
        }
        out.add(f);
        if (TERMINAL.contains(f.path("type").asText())) {
          return out;
        }
      }
    }

    @Override
    public void close() {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
