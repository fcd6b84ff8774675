package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Turns a path the model sent into a {@link PatchPath} inside the workspace, or refuses it.
 * Refused: empty and absolute paths, paths whose {@code ..} climbs out, paths that leave through a
 * symbolic link, and git metadata (see {@link #isGitName}). Links inside the workspace are resolved
 * here, name by name as the kernel would, so the result names no link; {@link PatchFiles} then
 * walks it without following any, and a link that appears later makes the write fail.
 */
final class WorkspacePaths {
  /** Linux's own limit on links in one lookup. */
  private static final int MAX_LINKS = 40;

  private WorkspacePaths() {}

  /**
   * The workspace path {@code given} names.
   *
   * @param followLast whether a link as the last name is resolved (to read or write the file it
   *     points to) or kept (to delete the link itself)
   * @throws PathException with a text for the model when the path is refused
   */
  static PatchPath resolve(PatchFiles files, String given, boolean followLast) {
    Deque<String> pending = new ArrayDeque<>(names(given));
    List<String> resolved = new ArrayList<>();
    String viaLink = null;
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (resolved.isEmpty()) {
          throw outside(given, viaLink);
        }
        resolved.remove(resolved.size() - 1);
        continue;
      }
      if (isGitName(name)) {
        throw new PathException(
            "path '"
                + given
                + "' refused: apply_patch never writes git metadata ('"
                + name
                + "'); it would run outside any sandbox in later git commands");
      }
      boolean last = pending.isEmpty();
      if (last && !followLast) {
        resolved.add(name);
        break;
      }
      PatchFiles.Kind kind = kind(files, resolved, name, given);
      if (kind == PatchFiles.Kind.LINK) {
        if (++links > MAX_LINKS) {
          throw new PathException("path '" + given + "' has too many levels of symbolic links");
        }
        String target = readLink(files, resolved, name, given);
        viaLink = "'" + PatchPath.of(resolved, name) + "' -> '" + target + "'";
        List<String> targetNames = linkTarget(files.root(), target, resolved, given, viaLink);
        for (int i = targetNames.size() - 1; i >= 0; i--) {
          pending.addFirst(targetNames.get(i));
        }
        continue;
      }
      if (!last && (kind == PatchFiles.Kind.FILE || kind == PatchFiles.Kind.OTHER)) {
        throw new PathException(
            "path '" + given + "' refused: '" + PatchPath.of(resolved, name) + "' is not a directory");
      }
      resolved.add(name);
    }
    if (resolved.isEmpty()) {
      throw new PathException("path '" + given + "' names the workspace itself, not a file");
    }
    return new PatchPath(resolved);
  }

  /**
   * The real location of {@code relative} inside {@code root}, checked once by path: for the shell
   * tool's working directory, where the command then runs under the sandbox's own rules. Refuses
   * what {@link #resolve(PatchFiles, String, boolean)} refuses except git metadata, and a link
   * leading out is checked on the deepest part that exists (the rest cannot be a link yet).
   *
   * @throws PathException with a text for the model when the path is refused
   */
  static Path resolve(Path root, String relative) {
    Path given = Path.of(".");
    if (!relative.equals(".")) {
      names(relative);
      given = Path.of(relative);
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

  /**
   * True for a name git treats as its metadata directory (or a worktree's {@code .git} file):
   * {@code .git} in any case, as case-insensitive file systems (macOS, Windows) open it, and with
   * what HFS+ and NTFS ignore (format characters, trailing dots and spaces) or abbreviate ({@code
   * git~1}) removed, as git's own path checks do.
   */
  static boolean isGitName(String name) {
    StringBuilder kept = new StringBuilder(name.length());
    name.codePoints()
        .filter(c -> Character.getType(c) != Character.FORMAT)
        .forEach(kept::appendCodePoint);
    String folded = kept.toString().toLowerCase(Locale.ROOT).replaceAll("[. ]+$", "");
    return folded.equals(".git") || folded.equals("git~1");
  }

  private static List<String> names(String given) {
    if (given == null || given.isBlank()) {
      throw new PathException("empty path");
    }
    Path path;
    try {
      path = Path.of(given);
    } catch (InvalidPathException e) {
      throw new PathException("invalid path '" + given + "': " + e.getReason());
    }
    if (path.isAbsolute()) {
      throw new PathException(
          "absolute path '" + given + "' refused: use a path relative to the workspace");
    }
    List<String> names = new ArrayList<>();
    path.forEach(p -> names.add(p.toString()));
    return names;
  }

  /** The names a link's target stands for, relative to the root; may start with {@code ..}. */
  private static List<String> linkTarget(
      Path root, String target, List<String> resolved, String given, String viaLink) {
    Path path;
    try {
      path = Path.of(target);
    } catch (InvalidPathException e) {
      throw new PathException("path '" + given + "' goes through an unusable link " + viaLink);
    }
    List<String> names = new ArrayList<>();
    if (path.isAbsolute()) {
      Path normal = path.normalize();
      if (!normal.startsWith(root)) {
        throw outside(given, viaLink);
      }
      resolved.clear();
      root.relativize(normal).forEach(p -> names.add(p.toString()));
    } else {
      path.forEach(p -> names.add(p.toString()));
    }
    return names;
  }

  private static PatchFiles.Kind kind(
      PatchFiles files, List<String> dirs, String name, String given) {
    try {
      return files.kind(dirs, name);
    } catch (IOException e) {
      throw new PathException("path '" + given + "' cannot be resolved: " + PatchFiles.reason(e));
    }
  }

  private static String readLink(PatchFiles files, List<String> dirs, String name, String given) {
    try {
      return files.readLink(dirs, name);
    } catch (IOException e) {
      throw new PathException("path '" + given + "' cannot be resolved: " + PatchFiles.reason(e));
    }
  }

  private static PathException outside(String given, String viaLink) {
    return new PathException(
        viaLink == null
            ? "path '" + given + "' is outside the workspace"
            : "path '"
                + given
                + "' leads outside the workspace through the symbolic link "
                + viaLink);
  }

  /** A refused path; the message goes back to the model. */
  static final class PathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PathException(String message) {
      super(message, null, false, false);
    }
  }
}
