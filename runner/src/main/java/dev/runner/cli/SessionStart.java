package dev.runner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runner.RunnerException;
import dev.runner.protocol.Item;
import dev.runner.protocol.Json;
import dev.runner.session.SavedSession;
import dev.runner.session.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Where a run's conversation starts: a new session, or a saved one continued ({@code resume}) or copied ({@code
 * fork}); and the first input it sends (project docs, images, the task).
 *
 * @param id this run's session id (a resumed session keeps its own)
 * @param file where this run's session is saved
 * @param history the saved conversation sent before the new input, empty for a new session
 * @param forkedFrom the forked session's id, or null
 * @param lastResponse the saved session's latest response, or null (a new session, or none recorded)
 */
record SessionStart(String id, Path file, List<Item> history, String forkedFrom,
    SavedSession.LastResponse lastResponse) {
  SessionStart {
    history = List.copyOf(history);
  }

  /** Picks the session {@code mode} names; see {@link ExecCommand.Mode}. */
  static SessionStart of(ExecCommand.Mode mode, SessionStore store, String sessionId, boolean last, Path cwd,
      java.time.Instant now) {
    if (mode != ExecCommand.Mode.RESUME && mode != ExecCommand.Mode.FORK) {
      String id = UUID.randomUUID().toString();
      return new SessionStart(id, store.newFile(id, now), List.of(), null, null);
    }
    Path file;
    if (last) {
      file = store.last(cwd).orElseThrow(() -> RunnerException.usage("no saved session"
          + (cwd == null ? "" : " of " + cwd) + " in " + store.root(),
          cwd == null ? "run 'runner exec' first (without --ephemeral)" : "pass --all to pick from every folder"));
    } else {
      if (sessionId == null) {
        throw RunnerException.usage(mode.name().toLowerCase(Locale.ROOT) + " needs a session id"
            + (mode == ExecCommand.Mode.RESUME ? " or --last" : ""),
            "list the saved sessions with 'ls -t " + store.root() + "/*/*/*'; the id ends each file name");
      }
      List<Path> found = store.find(sessionId);
      if (found.size() != 1) {
        throw RunnerException.usage((found.isEmpty()
            ? "no saved session has an id starting with '"
            : "several saved sessions have ids starting with '") + sessionId + "' (in " + store.root() + ")",
            found.isEmpty() ? "check the id, and RUNNER_HOME" : "give more of the id");
      }
      file = found.getFirst();
    }
    SavedSession saved;
    try {
      saved = store.read(file);
    } catch (IllegalArgumentException e) {
      throw RunnerException.usage(e.getMessage(), "pick another session, or remove the damaged file");
    }
    if (mode == ExecCommand.Mode.RESUME) {
      return new SessionStart(saved.id(), file, saved.items(), null, saved.lastResponse());
    }
    // a fork may chain from the original's response too: a response the service stored is never changed by the ones
    // that continue from it, and the fork is saved in a file of its own
    String id = UUID.randomUUID().toString();
    return new SessionStart(id, store.newFile(id, now), saved.items(), saved.id(), saved.lastResponse());
  }

  /**
   * The user message with the task, after the images as {@code input_image} parts with data URLs (codex's order),
   * or a plain user message without images.
   */
  static Item userMessage(String task, List<Path> images) {
    if (images.isEmpty()) {
      return Item.Message.user(task);
    }
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("type", "message");
    m.put("role", "user");
    ArrayNode content = m.putArray("content");
    for (Path image : images) {
      content.addObject().put("type", "input_image").put("image_url", dataUrl(image));
    }
    content.addObject().put("type", "input_text").put("text", task);
    return new Item.Other("message", m);
  }

  private static String dataUrl(Path image) {
    String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
    String mime = name.endsWith(".png")
        ? "image/png"
        : name.endsWith(".jpg") || name.endsWith(".jpeg")
            ? "image/jpeg"
            : name.endsWith(".gif")
                ? "image/gif"
                : name.endsWith(".webp")
                    ? "image/webp"
                    : null;
    if (mime == null) {
      throw RunnerException.usage("-i " + image + ": not a PNG, JPEG, GIF or WebP file name",
          "convert the image to one of those formats");
    }
    try {
      return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(image));
    } catch (IOException e) {
      throw RunnerException.usage("-i " + image + ": cannot read it: " + e.getMessage(),
          "pass an existing, readable image file");
    }
  }

  /** The first input of this run: the project-docs message (new sessions only), then the task's message. */
  static List<Item> firstInput(String docsMessage, boolean resumed, Item task) {
    List<Item> input = new ArrayList<>();
    if (docsMessage != null && !resumed) {
      input.add(Item.Message.user(docsMessage));
    }
    input.add(task);
    return input;
  }
}
