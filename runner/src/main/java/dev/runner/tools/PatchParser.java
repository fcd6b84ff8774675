package dev.runner.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses codex's patch format into a {@link Patch}, without touching any file:
 *
 * <pre>
 * *** Begin Patch
 * *** Add File: path        (then lines prefixed '+')
 * *** Delete File: path
 * *** Update File: path
 * *** Move to: newpath      (optional)
 * &#64;&#64; context             (a hunk; then ' ' context, '-' removed, '+' added lines)
 * *** End of File           (optional, after a hunk that ends the file)
 * *** End Patch
 * </pre>
 *
 * An empty line inside a hunk counts as an empty context line; the first hunk of a file may omit
 * its {@code @@} line. Errors are {@link PatchException}s naming the line number.
 */
final class PatchParser {
  private static final String BEGIN = "*** Begin Patch";
  private static final String END = "*** End Patch";
  private static final String ADD = "*** Add File: ";
  private static final String DELETE = "*** Delete File: ";
  private static final String UPDATE = "*** Update File: ";
  private static final String MOVE = "*** Move to: ";
  private static final String EOF_MARK = "*** End of File";

  private final String[] lines;
  private int pos;

  private PatchParser(String text) {
    this.lines = text.strip().split("\r?\n", -1);
  }

  static Patch parse(String text) {
    return new PatchParser(text).patch();
  }

  private Patch patch() {
    if (!lines[0].strip().equals(BEGIN)) {
      throw error("the first line must be '" + BEGIN + "'");
    }
    if (lines.length < 2 || !lines[lines.length - 1].strip().equals(END)) {
      throw new PatchException("the last line must be '" + END + "'");
    }
    pos = 1;
    List<Patch.Operation> ops = new ArrayList<>();
    while (pos < lines.length - 1) {
      String line = lines[pos].strip();
      if (line.startsWith(ADD)) {
        pos++;
        ops.add(addFile(path(line, ADD)));
      } else if (line.startsWith(DELETE)) {
        pos++;
        ops.add(new Patch.DeleteFile(path(line, DELETE)));
      } else if (line.startsWith(UPDATE)) {
        pos++;
        ops.add(updateFile(path(line, UPDATE)));
      } else {
        throw error("expected '*** Add File:', '*** Delete File:' or '*** Update File:'");
      }
    }
    if (ops.isEmpty()) {
      throw new PatchException("the patch contains no file operations");
    }
    return new Patch(ops);
  }

  private Patch.AddFile addFile(String path) {
    StringBuilder content = new StringBuilder();
    while (pos < lines.length - 1 && lines[pos].startsWith("+")) {
      content.append(lines[pos], 1, lines[pos].length()).append('\n');
      pos++;
    }
    return new Patch.AddFile(path, content.toString());
  }

  private Patch.UpdateFile updateFile(String path) {
    String moveTo = null;
    if (pos < lines.length - 1 && lines[pos].strip().startsWith(MOVE)) {
      moveTo = path(lines[pos].strip(), MOVE);
      pos++;
    }
    List<Patch.Hunk> hunks = new ArrayList<>();
    while (pos < lines.length - 1 && !lines[pos].startsWith("*** ")) {
      String line = lines[pos];
      String header = null;
      if (line.strip().startsWith("@@")) {
        String rest = line.strip().substring(2).strip();
        header = rest.isEmpty() ? null : rest;
        pos++;
      } else if (!hunks.isEmpty()) {
        throw error("expected a hunk starting with '@@'");
      }
      hunks.add(hunk(header));
    }
    if (hunks.isEmpty() && moveTo == null) {
      throw new PatchException("update of '" + path + "' has no hunks");
    }
    return new Patch.UpdateFile(path, moveTo, hunks);
  }

  private Patch.Hunk hunk(String header) {
    List<String> oldLines = new ArrayList<>();
    List<String> newLines = new ArrayList<>();
    int first = pos;
    boolean endOfFile = false;
    while (pos < lines.length - 1) {
      String line = lines[pos];
      if (line.strip().equals(EOF_MARK)) {
        endOfFile = true;
        pos++;
        break;
      }
      if (line.startsWith("*** ") || line.strip().startsWith("@@")) {
        break;
      }
      char kind = line.isEmpty() ? ' ' : line.charAt(0);
      String body = line.isEmpty() ? "" : line.substring(1);
      switch (kind) {
        case ' ' -> {
          oldLines.add(body);
          newLines.add(body);
        }
        case '-' -> oldLines.add(body);
        case '+' -> newLines.add(body);
        default -> throw error("hunk lines must start with ' ', '-' or '+'");
      }
      pos++;
    }
    if (pos == first || oldLines.isEmpty() && newLines.isEmpty()) {
      throw error("empty hunk");
    }
    return new Patch.Hunk(header, oldLines, newLines, endOfFile);
  }

  private String path(String line, String marker) {
    String path = line.substring(marker.length()).strip();
    if (path.isEmpty()) {
      throw error("missing path after '" + marker.strip() + "'");
    }
    return path;
  }

  private PatchException error(String what) {
    String at = pos < lines.length ? ": '" + lines[pos] + "'" : "";
    return new PatchException("invalid patch at line " + (pos + 1) + at + ": " + what);
  }

  /** A patch that cannot be parsed or applied; the message goes back to the model. */
  static final class PatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PatchException(String message) {
      super(message, null, false, false);
    }
  }
}
