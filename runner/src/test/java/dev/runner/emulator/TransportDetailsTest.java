package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Json;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.WebsocketClientSpec;

/** TLS with the generated CA, and permessage-deflate counted as wire vs payload bytes. */
class TransportDetailsTest {
  @Test
  void tlsServesHttpsTrustedThroughTheGeneratedCa() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withTls(true, null))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509").generateCertificate(
          new ByteArrayInputStream(emu.caPem().getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
      assertThat(emu.baseUrl()).startsWith("https://");
      HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create(emu.baseUrl() + "/responses"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer k").POST(HttpRequest.BodyPublishers
              .ofString("{\"model\":\"m\",\"input\":\"secure hello\"}"))
          .build(),
          HttpResponse.BodyHandlers
              .ofString());
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("secure hello");
    }
  }

  @Test
  void permessageDeflateIsAcceptedAndWireBytesAreCountedCompressed() throws Exception {
    try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults())) {
      ObjectNode create = Json.MAPPER.createObjectNode().put("type", "response.create").put("model", "m");
      ArrayNode input = create.putArray("input");
      input.add(TestClient.userMessage("all work and no play makes a dull emulator ".repeat(200)));
      String url = emu.baseUrl().replaceFirst("^http", "ws") + "/responses";
      List<String> frames = reactor.netty.http.client.HttpClient.create().headers(h -> h.add("Authorization",
          "Bearer k")).websocket(WebsocketClientSpec.builder().compress(true).build()).uri(url).handle((in,
              out) -> out.sendString(Mono.just(create.toString())).then().thenMany(in.aggregateFrames()
                  .receive().asString().takeUntil(s -> s.contains("\"response.completed\""))))
          .collectList()
          .block(Duration.ofSeconds(10));
      assertThat(frames).isNotEmpty();
      JsonNode last = Json.MAPPER.readTree(frames.get(frames.size() - 1));
      assertThat(last.path("type").asText()).isEqualTo("response.completed");
      EmulatorStats.Traffic ws = emu.stats().websocket();
      assertThat(ws.framesOut()).isEqualTo(frames.size());
      assertThat(ws.payloadBytesOut())
          .isEqualTo(frames.stream().mapToLong(f -> f.getBytes(StandardCharsets.UTF_8).length).sum());
      assertThat(ws.wireBytesOut()).isLessThan(ws.payloadBytesOut() / 2);
      assertThat(ws.wireBytesIn()).isLessThan(ws.payloadBytesIn());
      assertThat(emu.stats().websocketHandshakes()).isEqualTo(1);
      assertThat(emu.stats().http().wireBytesIn()).isZero();
    }
  }
}
