package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a path the model sent into a real path inside the workspace, or refuses it. Refused: empty
 * paths, absolute paths, paths whose {@code ..} climbs out, and paths that leave through a symlink
 * (checked on the deepest part that exists, since the rest cannot be a link yet).
 */
final class WorkspacePaths {
  private WorkspacePaths() {}

  /**
   * The real location of {@code relative} inside {@code root}.
   *
   * @throws PathException with a text for the model when the path is refused
   */
  static Path resolve(Path root, String relative) {
    if (relative == null || relative.isBlank()) {
      throw new PathException("empty path");
    }
    Path given;
    try {
      given = Path.of(relative);
    } catch (InvalidPathException e) {
      throw new PathException("invalid path '" + relative + "': " + e.getReason());
    }
    if (given.isAbsolute()) {
      throw new PathException(
          "absolute path '" + relative + "' refused: use a path relative to the workspace");
    }
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new PathException("workspace " + root + " is not accessible: " + e.getMessage());
    }
    Path target = realRoot.resolve(given).normalize();
    if (!target.startsWith(realRoot)) {
      throw new PathException("path '" + relative + "' is outside the workspace");
    }
    Path existing = target;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path realExisting;
    try {
      realExisting = existing.toRealPath();
    } catch (IOException e) {
      throw new PathException("path '" + relative + "' cannot be resolved: " + e.getMessage());
    }
    if (!realExisting.startsWith(realRoot)) {
      throw new PathException(
          "path '" + relative + "' leads outside the workspace through a symbolic link");
    }
    return realExisting.resolve(existing.relativize(target));
  }

  /** A refused path; the message goes back to the model. */
  static final class PathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PathException(String message) {
      super(message, null, false, false);
    }
  }
}
