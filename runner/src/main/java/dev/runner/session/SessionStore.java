package dev.runner.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.protocol.Item;
import dev.runner.protocol.ItemCodec;
import dev.runner.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Session files under one folder ({@code $RUNNER_HOME/sessions}), laid out as codex lays out its rollouts:
 * {@code YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-ID.jsonl}. Each line is {@code {timestamp, type, payload}}: one
 * {@code session_meta} ({@code id, timestamp, cwd, originator, cli_version, source, model_provider}, plus {@code
 * forked_from} for a fork), one {@code turn_context} ({@code cwd, model}, and the runner's {@code last_response}: {@code
 * id, items, store, transport, provider, model}, which codex's readers skip) per run, and a {@code response_item} per
 * conversation item. Files without {@code last_response} (written before it was recorded) read with none. A file is
 * replaced
 * whole and atomically at the end of each run, so a reader never sees half of one.
 */
public final class SessionStore {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")
      .withZone(ZoneOffset.UTC);

  private final Path root;

  public SessionStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** Where a new session {@code id} started at {@code now} is stored. */
  public Path newFile(String id, Instant now) {
    return root.resolve(DAY.format(now)).resolve("rollout-" + STAMP.format(now) + "-" + id + ".jsonl");
  }

  /**
   * What a session file records of one run.
   *
   * @param id session id
   * @param cwd working directory
   * @param model model id
   * @param provider provider id
   * @param source codex's {@code source} ({@code exec}, or {@code --thread-source})
   * @param forkedFrom the id of the session this one was forked from, or null
   * @param version the runner's version
   */
  public record Meta(String id, Path cwd, String model, String provider, String source, String forkedFrom,
      String version) {}

  /** Writes {@code items} as the whole of session {@code meta.id()} in {@code file}, atomically. */
  public void save(Path file, Meta meta, Instant started, List<Item> items) {
    save(file, meta, started, items, null);
  }

  /** As {@link #save(Path, Meta, Instant, List)}, recording {@code last} (or nothing when null). */
  public void save(Path file, Meta meta, Instant started, List<Item> items, SavedSession.LastResponse last) {
    StringBuilder out = new StringBuilder();
    String now = Instant.now().toString();
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", meta.id());
    m.put("timestamp", started.toString());
    m.put("cwd", meta.cwd().toString());
    m.put("originator", "runner");
    m.put("cli_version", meta.version());
    m.put("source", meta.source());
    m.put("model_provider", meta.provider());
    if (meta.forkedFrom() != null) {
      m.put("forked_from", meta.forkedFrom());
    }
    line(out, started.toString(), "session_meta", m);
    ObjectNode ctx = Json.MAPPER.createObjectNode();
    ctx.put("cwd", meta.cwd().toString());
    ctx.put("model", meta.model());
    if (last != null) {
      ObjectNode l = ctx.putObject("last_response");
      l.put("id", last.id());
      l.put("items", last.items());
      l.put("store", last.stored());
      l.put("transport", last.transport());
      l.put("provider", last.provider());
      l.put("model", last.model());
    }
    line(out, now, "turn_context", ctx);
    for (Item item : items) {
      line(out, now, "response_item", ItemCodec.toJson(item));
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write session file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void line(StringBuilder out, String timestamp, String type, JsonNode payload) {
    ObjectNode l = Json.MAPPER.createObjectNode();
    l.put("timestamp", timestamp);
    l.put("type", type);
    l.set("payload", payload);
    try {
      out.append(Json.MAPPER.writeValueAsString(l)).append('\n');
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a session line did not serialize", e);
    }
  }

  /** Reads the session in {@code file}. */
  public SavedSession read(Path file) {
    String id = null;
    Path cwd = null;
    String model = null;
    SavedSession.LastResponse last = null;
    List<Item> items = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read session file " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode l;
      try {
        l = Json.MAPPER.readTree(lines.get(i));
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a JSON line: " + e.getMessage(), e);
      }
      JsonNode p = l.path("payload");
      switch (l.path("type").asText()) {
        case "session_meta" -> {
          id = p.path("id").asText(null);
          cwd = p.hasNonNull("cwd") ? Path.of(p.get("cwd").asText()) : null;
        }
        case "turn_context" -> {
          model = p.path("model").asText(model);
          last = lastResponse(p.path("last_response"));
        }
        case "response_item" -> items.add(ItemCodec.read(p));
        default -> {
          // codex's event_msg and other lines carry nothing a continuation needs
        }
      }
    }
    if (id == null) {
      throw new IllegalArgumentException(file + " has no session_meta line: not a session file");
    }
    return new SavedSession(id, file, cwd, model, items, last);
  }

  /** The {@code last_response} object, or null when absent or incomplete (an older or hand-edited file). */
  private static SavedSession.LastResponse lastResponse(JsonNode l) {
    if (!l.isObject() || !l.path("id").isTextual() || l.path("id").asText().isEmpty() || !l.path("items").isInt()
        || l.path("items").asInt() < 0) {
      return null;
    }
    return new SavedSession.LastResponse(l.get("id").asText(), l.get("items").asInt(), l.path("store").asBoolean(false),
        l.path("transport").asText(null), l.path("provider").asText(null), l.path("model").asText(null));
  }

  /** Every session file, newest first (by name, which starts with the start time, then by modification). */
  public List<Path> files() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root, 4)) {
      return s.filter(p -> p.getFileName().toString().startsWith("rollout-")
          && p.getFileName().toString().endsWith(".jsonl"))
          .sorted(Comparator.comparing(SessionStore::modified).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list sessions in " + root + ": " + e.getMessage(), e);
    }
  }

  /** The file of the session whose id is {@code idOrPrefix} or starts with it; empty when none or several match. */
  public List<Path> find(String idOrPrefix) {
    return files().stream().filter(p -> idOf(p).startsWith(idOrPrefix)).toList();
  }

  /** The newest session, of {@code cwd} when given. */
  public Optional<Path> last(Path cwd) {
    for (Path p : files()) {
      if (cwd == null || cwd.equals(read(p).cwd())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The id part of a file name {@code rollout-STAMP-ID.jsonl}. */
  static String idOf(Path file) {
    String name = file.getFileName().toString();
    String stem = name.substring("rollout-".length(), name.length() - ".jsonl".length());
    // the stamp is yyyy-MM-ddTHH-mm-ss: 19 characters and a dash
    return stem.length() > 20 ? stem.substring(20) : stem;
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }
}
