package dev.runner.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.runner.RunnerException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One parsed {@code config.toml}: its tree and the line of every key.
 *
 * @param path the file as given (shown in messages)
 * @param root the document
 * @param lines where each key is written
 */
record ConfigFile(Path path, ObjectNode root, KeyLines lines) {

  /**
   * Reads {@code path}; empty when it does not exist.
   *
   * @throws RunnerException (config) when it cannot be read, is not UTF-8 or is not valid TOML; the
   *     message names the file, line and column
   */
  static Optional<ConfigFile> read(Path path, TomlMapper toml) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (CharacterCodingException e) {
      throw RunnerException.config(
          "cannot read " + path + ": it is not UTF-8 text", "save it as UTF-8", e);
    } catch (IOException e) {
      if (!Files.exists(path)) {
        return Optional.empty();
      }
      throw RunnerException.config(
          "cannot read " + path + ": " + e.getMessage(), "check the file's permissions", e);
    }
    return Optional.of(parse(path, text, toml));
  }

  static ConfigFile parse(Path path, String text, TomlMapper toml) {
    JsonNode root;
    try {
      root = toml.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      int line = at == null ? 0 : at.getLineNr();
      int column = at == null ? 0 : at.getColumnNr();
      if (at != null && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate key")) {
        // the parser has read past the duplicate's line when it notices: report the key's own line
        line = lastContentLineBefore(text, line, column);
        column = 1;
      }
      String where = at == null
          ? path.toString()
          : path + ":" + line + ":" + column;
      String position = at == null
          ? ""
          : " at line " + line + ", column " + column;
      throw RunnerException.config(
          "invalid TOML in " + path + position + ": " + e.getOriginalMessage() + " (" + where + ")",
          "fix the TOML syntax there (https://toml.io/en/v1.0.0)",
          e);
    }
    if (root == null || root.isMissingNode()) {
      root = toml.createObjectNode();
    }
    return new ConfigFile(path, (ObjectNode) root, KeyLines.scan(text));
  }

  /**
   * The last line at or before {@code line} (1-based) that holds more than blanks and a comment, not counting
   * {@code line} itself when the parser stands at its first column (it has only just moved there).
   */
  static int lastContentLineBefore(String text, int line, int column) {
    String[] lines = text.split("\\R", -1);
    int i = Math.min(column <= 1 ? line - 1 : line, lines.length);
    while (i > 1) {
      String l = lines[i - 1].strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        break;
      }
      i--;
    }
    return Math.max(1, i);
  }
}
