package dev.runner.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.RunnerException;
import dev.runner.logging.Log;
import dev.runner.protocol.ApiError;
import dev.runner.protocol.ErrorBodyReader;
import dev.runner.protocol.ItemCodec;
import dev.runner.protocol.Json;
import dev.runner.protocol.ResponseRequest;
import dev.runner.protocol.Usage;
import dev.runner.transport.Compacted;
import dev.runner.transport.NettyClients;
import dev.runner.transport.RetryPolicy;
import dev.runner.transport.TransportFailure;
import dev.runner.transport.TransportListener;
import dev.runner.transport.TransportSettings;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * {@code POST {base_url}/responses/compact} with {@code {model, instructions?, input}} and a plain JSON answer
 * ({@code response.compaction}). Retried like a turn (5xx, 429, IO); every wait bounded by the deadline.
 */
final class HttpCompaction {
  private static final Log LOG = Log.of("transport");

  private final HttpClient client;
  private final TransportSettings settings;
  private final Clock clock;
  private final String url;

  HttpCompaction(HttpClient client, TransportSettings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.url = settings.url("/responses/compact");
  }

  Compacted run(ResponseRequest request, Instant deadline, RetryPolicy retry, TransportListener listener) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("model", request.model());
    if (request.instructions() != null) {
      body.put("instructions", request.instructions());
    }
    body.set("input", ItemCodec.toJson(request.input()));
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return retry.run(count -> {
      LOG.debug(() -> "POST " + url + ": " + request.input().size() + " items, " + bytes.length + " bytes"
          + (count.total() > 0 ? " (retry " + count.total() + ")" : ""));
      return attempt(bytes, deadline);
    }, deadline, listener, url);
  }

  private Compacted attempt(byte[] body, Instant deadline) {
    Duration left = Duration.between(Instant.now(clock), deadline);
    if (left.isNegative() || left.isZero()) {
      throw RunnerException.timeout("the run's deadline passed before compacting at " + url,
          "raise --timeout, or set model_auto_compact_token_limit higher");
    }
    Answer answer;
    try {
      answer = client.headers(h -> NettyClients.headers(h, settings, Map.of("Content-Type", "application/json",
          "Accept", "application/json")))
          .post().uri(java.net.URI.create(url)).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
          .responseSingle((res, content) -> content.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
              .map(text -> new Answer(res.status().code(), text, res.responseHeaders()::get)))
          .block(left);
    } catch (IllegalStateException e) {
      throw TransportFailure.of(TransportFailure.Kind.IDLE, "no answer from " + url + " before the deadline", e);
    } catch (RuntimeException e) {
      throw TransportFailure.from(e, false, url);
    }
    if (answer == null) {
      throw TransportFailure.of(TransportFailure.Kind.IO, "empty answer from " + url, null);
    }
    if (answer.status() / 100 != 2) {
      ApiError error = ErrorBodyReader.read(answer.status(), answer.text());
      String text = answer.text();
      LOG.info(() -> "HTTP " + answer.status() + " body of the compact answer: " + ErrorBodyReader.raw(text));
      throw new TransportFailure(TransportFailure.Kind.STATUS, "HTTP " + error.describe(), error,
          RetryPolicy.retryAfter(answer.headers()::apply, clock), RetryPolicy.shouldRetry(answer.headers()::apply),
          null);
    }
    return parse(answer.text());
  }

  private Compacted parse(String text) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw TransportFailure.of(TransportFailure.Kind.PROTOCOL, "the answer of " + url + " is not JSON: "
          + e.getMessage(), e);
    }
    if (node == null || !node.path("output").isArray()) {
      throw TransportFailure.of(TransportFailure.Kind.PROTOCOL, "the answer of " + url + " has no output list", null);
    }
    JsonNode u = node.path("usage");
    Usage usage = new Usage(u.path("input_tokens").asLong(), u.path("input_tokens_details").path("cached_tokens")
        .asLong(), u.path("output_tokens").asLong(),
        u.path("output_tokens_details").path("reasoning_tokens")
            .asLong(),
        u.path("total_tokens").asLong());
    return new Compacted(node.path("id").asText(null), ItemCodec.readAll(node.get("output")), usage);
  }

  private record Answer(int status, String text, java.util.function.Function<String, String> headers) {}
}
