package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {
  @Test
  void buildsUrlsWithQueryParametersAndHidesTheKey() {
    TransportSettings s = TransportSettings.builder("p", "https://x.example/v1/")
        .queryParams(Map.of("api-version", "2025-01-01")).apiKey(() -> "sk-very-secret-value").build();
    assertThat(s.url("/responses")).isEqualTo("https://x.example/v1/responses?api-version=2025-01-01");
    assertThat(s.toString()).doesNotContain("sk-very-secret-value").contains("[REDACTED]");
    assertThat(s.requestMaxRetries()).isEqualTo(4);
    assertThat(s.streamMaxRetries()).isEqualTo(5);
  }

  @Test
  void trustFilePrefersTheConfiguredFileThenSslCertFile() {
    assertThat(TransportSettings.trustFile("/a.pem", "/b.pem")).isEqualTo(Path.of("/a.pem"));
    assertThat(TransportSettings.trustFile(null, "/b.pem")).isEqualTo(Path.of("/b.pem"));
    assertThat(TransportSettings.trustFile(" ", null)).isNull();
  }
}
