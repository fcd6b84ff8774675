package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.cli.Environment;
import dev.runner.cli.RunnerCommand;
import dev.runner.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code runner emulator} in-process: the first stdout line, TLS CA output, help text. */
class EmulatorCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    Environment env = new Environment(Map.of(), new ByteArrayInputStream(new byte[0]), true, Path.of("."), Path.of(
        "/nonexistent-home"), 0);
    CommandLine cl = RunnerCommand.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void firstStdoutLineIsJsonWithThePortAndBaseUrl() throws Exception {
    Run r = run("emulator", "--port", "0", "--scenario", "tools:2", "--exit-after", "1ms");
    assertThat(r.exit()).isZero();
    JsonNode first = Json.MAPPER.readTree(r.out().lines().findFirst().orElseThrow());
    int port = first.path("port").asInt();
    assertThat(port).isPositive();
    assertThat(first.path("base_url").asText()).isEqualTo("http://127.0.0.1:" + port + "/v1");
  }

  @Test
  void tlsWritesTheCaPemAndServesHttps(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca.pem");
    Run r = run("emulator", "--tls", "--ca-out", ca.toString(), "--exit-after", "1ms");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Json.MAPPER.readTree(r.out().lines().findFirst().orElseThrow()).path("base_url").asText())
        .startsWith("https://127.0.0.1:");
    assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void helpTeachesTheProviderSnippetAndEveryFaultKind() {
    Run r = run("emulator", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("[model_providers.emulator]").contains("base_url").contains("--faults")
        .contains("p=0.1:http500").contains("--ws-max-age");
    for (FaultKind k : FaultKind.values()) {
      assertThat(r.out()).contains(k.spec());
    }
  }

  @Test
  void badFaultSpecIsAUsageError() {
    Run r = run("emulator", "--faults", "explode@1", "--exit-after", "1ms");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("explode");
  }

  @Test
  void noAuthWithANonLoopbackHostIsRefusedUnlessAllowedByName() throws Exception {
    Run refused = run("emulator", "--no-auth", "--host", "0.0.0.0", "--exit-after", "1ms");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("--no-auth with --host 0.0.0.0").contains("--allow-unauthenticated-remote");

    Run allowed = run("emulator", "--no-auth", "--host", "0.0.0.0", "--allow-unauthenticated-remote", "--exit-after",
        "1ms");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(Json.MAPPER.readTree(allowed.out().lines().findFirst().orElseThrow()).path("port").asInt()).isPositive();

    Run authOn = run("emulator", "--host", "0.0.0.0", "--exit-after", "1ms");
    assertThat(authOn.exit()).as(authOn.err()).isZero();
    Run loopback = run("emulator", "--no-auth", "--host", "localhost", "--exit-after", "1ms");
    assertThat(loopback.exit()).as(loopback.err()).isZero();
  }

  @Test
  void helpSaysWhatTheAdminEndpointsNeedAndWhatNoAuthRefuses() {
    Run r = run("emulator", "--help");
    assertThat(r.out()).contains("--allow-unauthenticated-remote").contains("/emulator/* always need")
        .contains("Refused (exit 2) with a --host that is not loopback");
  }
}
