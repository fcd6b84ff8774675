package dev.runner.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runner.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Traffic captured from real clients in the test resources' {@code conformance/captures/*.json} (sources in its README): each file is one
 * record or an array of records {@code {n, kind, ...}} where {@code kind} is {@code http} (request {@code body}),
 * {@code ws-upgrade}, {@code ws-frame} (client {@code frame}) or {@code ws-close}. The captures hold client traffic
 * only; what a server sends is checked against the spec from the emulator's own streams (EmulatorWireConformanceTest).
 */
record Captures(List<Capture> all) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One captured message; {@code payload} is the JSON the client (or server) sent. */
  record Capture(String file, int n, String kind, JsonNode payload) {
    boolean clientHttp() {
      return kind.equals("http") && payload.isObject();
    }

    boolean clientFrame() {
      return kind.equals("ws-frame") && payload.isObject();
    }

    @Override
    public String toString() {
      return file + "#" + n + " (" + kind + ")";
    }
  }

  static Path folder() {
    return Fixtures.file("conformance/captures");
  }

  /** Every record of every {@code *.json} capture, in file-name order. */
  static Captures load() {
    Path dir = folder();
    List<Capture> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode root = JSON.readTree(f.toFile());
        for (JsonNode record : root.isArray() ? root : JSON.createArrayNode().add(root)) {
          String kind = record.path("kind").asText("");
          JsonNode payload = record.has("body")
              ? record.get("body")
              : record.has("frame") ? record.get("frame") : record.has("data") ? record.get("data") : record;
          out.add(new Capture(f.getFileName().toString(), record.path("n").asInt(), kind, payload));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read captures in " + dir, e);
    }
    return new Captures(out);
  }

  List<Capture> httpRequests() {
    return all.stream().filter(Capture::clientHttp).toList();
  }

  List<Capture> clientFrames() {
    return all.stream().filter(Capture::clientFrame).toList();
  }
}
