package dev.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * All layers, highest precedence first. A key resolves to the value of the first layer that sets
 * it; tables of strings ({@code http_headers}, ...) are taken whole from that layer. Typed getters
 * trust that {@link ConfigSchema#check} has already validated types, and write each value's
 * provenance into {@code sources} under the caller's name for it.
 */
final class Layers {
  /** A value and where it came from. */
  record Found(JsonNode value, Layer layer, Provenance source) {}

  private final List<Layer> highToLow;

  Layers(List<Layer> highToLow) {
    this.highToLow = List.copyOf(highToLow);
  }

  Optional<Found> find(List<String> path) {
    for (Layer layer : highToLow) {
      if (layer.has(path)) {
        return Optional.of(new Found(layer.at(path), layer, layer.where(path)));
      }
    }
    return Optional.empty();
  }

  /** Every layer's value for {@code path}, highest precedence first. */
  List<Found> all(List<String> path) {
    List<Found> out = new ArrayList<>();
    for (Layer layer : highToLow) {
      if (layer.has(path)) {
        out.add(new Found(layer.at(path), layer, layer.where(path)));
      }
    }
    return out;
  }

  /** The names of the tables under {@code path} across all layers, sorted. */
  TreeSet<String> keysUnder(List<String> path) {
    TreeSet<String> keys = new TreeSet<>();
    for (Layer layer : highToLow) {
      JsonNode node = layer.at(path);
      if (node.isObject()) {
        node.fieldNames().forEachRemaining(keys::add);
      }
    }
    return keys;
  }

  String string(List<String> path, String fallback, String name, Map<String, Provenance> sources) {
    return get(path, name, sources).map(f -> f.value().asText()).orElse(fallback);
  }

  Optional<String> optionalString(
      List<String> path, String name, Map<String, Provenance> sources) {
    return get(path, name, sources).map(f -> f.value().asText());
  }

  boolean bool(List<String> path, boolean fallback, String name, Map<String, Provenance> sources) {
    return get(path, name, sources).map(f -> f.value().asBoolean()).orElse(fallback);
  }

  long number(List<String> path, long fallback, String name, Map<String, Provenance> sources) {
    return get(path, name, sources).map(f -> f.value().asLong()).orElse(fallback);
  }

  Map<String, String> stringMap(List<String> path, String name, Map<String, Provenance> sources) {
    Map<String, String> out = new LinkedHashMap<>();
    get(path, name, sources).ifPresent(
        f -> f.value().properties().forEach(e -> out.put(e.getKey(), e.getValue().asText())));
    return out;
  }

  /** The array of strings at {@code path}, empty when unset. */
  List<String> stringList(List<String> path, String name, Map<String, Provenance> sources) {
    List<String> out = new ArrayList<>();
    get(path, name, sources).ifPresent(f -> f.value().forEach(item -> out.add(item.asText())));
    return out;
  }

  /** Finds {@code path} and records its source (or {@link Provenance#DEFAULT}) as {@code name}. */
  Optional<Found> get(List<String> path, String name, Map<String, Provenance> sources) {
    Optional<Found> found = find(path);
    sources.put(name, found.map(Found::source).orElse(Provenance.DEFAULT));
    return found;
  }
}
