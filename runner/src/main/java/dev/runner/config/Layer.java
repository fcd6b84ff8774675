package dev.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One source of values (built-ins, a file, a profile inside a file, {@code -c}, flags) seen as a
 * tree rooted at {@code prefix} of its document. Paths passed in are relative to the prefix;
 * {@link #where} and {@link #displayPath} speak in the document's own paths, so a type error in a
 * profile names {@code profiles.ci.model} and its line.
 */
final class Layer {
  private final String label;
  private final ObjectNode document;
  private final List<String> prefix;
  private final Function<List<String>, Provenance> where;

  private Layer(
      String label,
      ObjectNode document,
      List<String> prefix,
      Function<List<String>, Provenance> where) {
    this.label = label;
    this.document = document;
    this.prefix = List.copyOf(prefix);
    this.where = where;
  }

  static Layer builtIn(ObjectNode tree) {
    return new Layer("built-in", tree, List.of(), p -> Provenance.BUILT_IN);
  }

  static Layer file(ConfigFile file) {
    return new Layer(
        file.path().toString(),
        file.root(),
        List.of(),
        p -> new Provenance.InFile(file.path(), file.lines().lineOf(p)));
  }

  static Layer overrides(ObjectNode tree) {
    return new Layer("-c", tree, List.of(), Provenance.ConfigOverride::new);
  }

  static Layer flags(ObjectNode tree, Function<List<String>, String> optionOf) {
    return new Layer("flags", tree, List.of(), p -> new Provenance.Flag(optionOf.apply(p)));
  }

  /**
   * The view of {@code profiles.NAME} of this layer, or null when it has no such table. Values in
   * it come from {@code profile NAME (FILE:LINE)}, or from {@code -c} for the overrides layer.
   */
  Layer profile(String name) {
    List<String> at = List.of("profiles", name);
    if (!at(at).isObject()) {
      return null;
    }
    Function<List<String>, Provenance> inProfile = p -> switch (where.apply(p)) {
      case Provenance.InFile f -> new Provenance.InProfile(name, f.file(), f.line());
      case Provenance other -> other;
    };
    return new Layer(label, document, at, inProfile);
  }

  /** The node at {@code path} (relative to this layer), or a missing node. */
  JsonNode at(List<String> path) {
    JsonNode node = document;
    for (String part : prefix) {
      node = node.path(part);
    }
    for (String part : path) {
      node = node.path(part);
    }
    return node;
  }

  boolean has(List<String> path) {
    JsonNode node = at(path);
    return !(node instanceof MissingNode) && !node.isNull();
  }

  Provenance where(List<String> path) {
    return where.apply(full(path));
  }

  /** The dotted path as written in this layer's document. */
  String displayPath(List<String> path) {
    return String.join(".", full(path));
  }

  /** The whole document (for the schema walk). */
  ObjectNode document() {
    return document;
  }

  String label() {
    return label;
  }

  /** The provenance of a full document path. */
  Provenance whereInDocument(List<String> documentPath) {
    return where.apply(documentPath);
  }

  private List<String> full(List<String> path) {
    List<String> out = new ArrayList<>(prefix);
    out.addAll(path);
    return out;
  }
}
