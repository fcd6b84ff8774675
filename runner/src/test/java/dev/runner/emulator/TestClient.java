package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A deliberately independent client for emulator tests: java.net.http, its own SSE split, no runner code. */
final class TestClient {
  static final Duration WAIT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private final String baseUrl;

  TestClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> post(String path, String body, boolean auth) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(WAIT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      b.header("Authorization", "Bearer test-key");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).header("Authorization", "Bearer k")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SSE body → event JSON objects; also checks that each {@code event:} line names the data's type. */
  static List<JsonNode> sse(String body) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      JsonNode node = Json.MAPPER.readTree(data);
      if (!node.path("type").asText().equals(event)) {
        throw new AssertionError("event line " + event + " does not match data type " + node.path("type"));
      }
      events.add(node);
    }
    return events;
  }

  static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  static ObjectNode request(String model, boolean stream) {
    ObjectNode r = Json.MAPPER.createObjectNode().put("model", model);
    if (stream) {
      r.put("stream", true);
    }
    r.putArray("input");
    return r;
  }

  static ObjectNode userMessage(String text) {
    ObjectNode m = Json.MAPPER.createObjectNode().put("type", "message").put("role", "user");
    m.putArray("content").addObject().put("type", "input_text").put("text", text);
    return m;
  }

  /** The runner's own shell tool: {command: string | [string], workdir, timeout_ms}. */
  static ArrayNode shellTool() {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    ObjectNode t = tools.addObject().put("type", "function").put("name", "shell").put("strict", false);
    ObjectNode props = t.putObject("parameters").put("type", "object").putObject("properties");
    ArrayNode any = props.putObject("command").putArray("anyOf");
    any.addObject().put("type", "string");
    any.addObject().put("type", "array").putObject("items").put("type", "string");
    props.putObject("workdir").put("type", "string");
    props.putObject("timeout_ms").put("type", "integer");
    return tools;
  }

  WsConnection websocket() throws InterruptedException {
    WsConnection c = new WsConnection();
    URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/responses");
    c.socket = http.newWebSocketBuilder().header("Authorization", "Bearer test-key").connectTimeout(WAIT)
        .buildAsync(uri, c).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    return c;
  }

  /** A WebSocket that queues every text message; a close arrives as {@code "CLOSE <code>"}. */
  static final class WsConnection implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    void send(JsonNode frame) {
      socket.sendText(frame.toString(), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    String nextRaw() throws InterruptedException {
      String m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no WebSocket message within " + WAIT);
      }
      return m;
    }

    JsonNode next() throws InterruptedException, IOException {
      return Json.MAPPER.readTree(nextRaw());
    }

    /** Events until (and including) a terminal event or error. */
    List<JsonNode> untilTerminal() throws InterruptedException, IOException {
      List<JsonNode> out = new ArrayList<>();
      while (true) {
        JsonNode e = next();
        out.add(e);
        String t = e.path("type").asText();
        if (t.equals("response.completed") || t.equals("response.failed") || t.equals("response.incomplete")
            || t.equals("error")) {
          return out;
        }
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      messages.add("CLOSE " + statusCode);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
      messages.add("PONG " + java.nio.charset.StandardCharsets.UTF_8.decode(message));
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      messages.add("ERROR " + error);
    }
  }
}
