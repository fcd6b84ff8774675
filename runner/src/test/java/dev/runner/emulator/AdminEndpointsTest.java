package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /emulator/stats} and {@code /emulator/reset} over real sockets: a bearer token always, with auth on and with
 * {@code --no-auth}; nothing for requests that look like a web page's.
 */
class AdminEndpointsTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TestClient.WAIT).build();

  static RunningEmulator start(boolean requireAuth) {
    return EmulatorServer.start(EmulatorOptions.defaults().withRequireAuth(requireAuth));
  }

  HttpResponse<String> send(RunningEmulator emu, String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emu.port() + path))
        .timeout(TestClient.WAIT).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One /v1 request, so that a reset has something to zero. */
  static void oneRequest(RunningEmulator emu) throws Exception {
    new TestClient(emu.baseUrl()).post("/responses", "{\"model\":\"m\",\"input\":\"x\"}", true);
    assertThat(emu.stats().httpRequests()).isEqualTo(1);
  }

  @Test
  void resetWithoutATokenIs401AndResetsNothingWithAuthOnAndWithNoAuth() throws Exception {
    for (boolean requireAuth : List.of(true, false)) {
      try (RunningEmulator emu = start(requireAuth)) {
        oneRequest(emu);
        HttpResponse<String> res = send(emu, "POST", "/emulator/reset");
        assertThat(res.statusCode()).as("requireAuth=" + requireAuth).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(res.body()).path("error").path("message").asText())
            .contains("Authorization: Bearer").contains("--no-auth");
        assertThat(send(emu, "POST", "/emulator/reset", "Authorization", "Bearer ").statusCode()).isEqualTo(401);
        assertThat(send(emu, "GET", "/emulator/stats").statusCode()).isEqualTo(401);
        assertThat(emu.stats().httpRequests()).isEqualTo(1);
      }
    }
  }

  @Test
  void resetAndStatsWorkWithAToken() throws Exception {
    for (boolean requireAuth : List.of(true, false)) {
      try (RunningEmulator emu = start(requireAuth)) {
        oneRequest(emu);
        HttpResponse<String> stats = send(emu, "GET", "/emulator/stats", "Authorization", "Bearer admin");
        assertThat(stats.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(stats.body());
        assertThat(json.path("requests").path("http").asLong()).isEqualTo(1);
        HttpResponse<String> reset = send(emu, "POST", "/emulator/reset", "Authorization", "Bearer admin");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).isEqualTo("{\"reset\":true}");
        assertThat(emu.stats().httpRequests()).isZero();
      }
    }
  }

  @Test
  void aRequestWithAnOriginHeaderIsRefusedEvenWithAToken() throws Exception {
    try (RunningEmulator emu = start(true)) {
      oneRequest(emu);
      HttpResponse<String> res = send(emu, "POST", "/emulator/reset", "Authorization", "Bearer admin", "Origin",
          "https://evil.example");
      assertThat(res.statusCode()).isEqualTo(403);
      assertThat(res.body()).contains("origin_not_allowed");
      assertThat(emu.stats().httpRequests()).isEqualTo(1);
    }
  }

  @Test
  void onLoopbackAHostHeaderThatIsNotLoopbackIsRefused() throws Exception {
    // what a page that rebound its DNS name to 127.0.0.1 sends
    try (RunningEmulator emu = start(true);
        java.net.Socket s = new java.net.Socket("127.0.0.1", emu.port())) {
      oneRequest(emu);
      s.setSoTimeout((int) TestClient.WAIT.toMillis());
      s.getOutputStream().write(("POST /emulator/reset HTTP/1.1\r\nHost: rebound.example:" + emu.port()
          + "\r\nAuthorization: Bearer admin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 403");
      assertThat(emu.stats().httpRequests()).isEqualTo(1);
    }
  }

  @Test
  void hostNamesThatCountAsLoopback() {
    assertThat(EmulatorOptions.isLoopback("127.0.0.1")).isTrue();
    assertThat(EmulatorOptions.isLoopback("127.8.9.10")).isTrue();
    assertThat(EmulatorOptions.isLoopback("localhost")).isTrue();
    assertThat(EmulatorOptions.isLoopback("[::1]")).isTrue();
    assertThat(EmulatorOptions.isLoopback("::1")).isTrue();
    assertThat(EmulatorOptions.isLoopback("0.0.0.0")).isFalse();
    assertThat(EmulatorOptions.isLoopback("::")).isFalse();
    assertThat(EmulatorOptions.isLoopback("10.0.0.5")).isFalse();
    assertThat(EmulatorOptions.isLoopback("localhost.evil.example")).isFalse();
    assertThat(EmulatorOptions.isLoopback("")).isFalse();
  }
}
