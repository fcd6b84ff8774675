package dev.runner.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps dotted key paths of a TOML document to the 1-based line where each key is first written.
 * Jackson's TOML module keeps no per-key locations, so this is a small tolerant scanner of its
 * own: it knows {@code [table]} and {@code [[array]]} headers, dotted and quoted keys, inline
 * tables (keys inside map to the line they are written on), arrays and strings that span lines
 * (so their contents are never mistaken for keys), and comments. Run it only on text that already
 * parsed; on anything it does not understand it skips to the next line.
 */
final class KeyLines {
  private final Map<List<String>, Integer> lines;

  private KeyLines(Map<List<String>, Integer> lines) {
    this.lines = Map.copyOf(lines);
  }

  static KeyLines empty() {
    return new KeyLines(Map.of());
  }

  static KeyLines scan(String text) {
    return new KeyLines(new Scanner(text).run());
  }

  /**
   * The line of {@code path}. When the key itself was never written (a table only implied by
   * {@code [a.b]}, or a key inside a construct this scanner skipped), the first line of a key
   * below it, else the line of the nearest table above it; 0 when nothing matches.
   */
  int lineOf(List<String> path) {
    Integer exact = lines.get(path);
    if (exact != null) {
      return exact;
    }
    int below = lines.entrySet().stream()
        .filter(e -> e.getKey().size() > path.size() && e.getKey().subList(0, path.size()).equals(path))
        .mapToInt(Map.Entry::getValue)
        .min()
        .orElse(0);
    if (below > 0) {
      return below;
    }
    for (int n = path.size() - 1; n > 0; n--) {
      Integer line = lines.get(path.subList(0, n));
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** A cursor over the whole text; positions turn into lines through the newline table. */
  private static final class Scanner {
    private final String s;
    private final int[] newlines;
    private final Map<List<String>, Integer> found = new HashMap<>();
    private int pos;

    Scanner(String text) {
      this.s = text;
      this.newlines = java.util.stream.IntStream.range(0, text.length())
          .filter(i -> text.charAt(i) == '\n')
          .toArray();
    }

    Map<List<String>, Integer> run() {
      List<String> table = List.of();
      while (pos < s.length()) {
        skipBlank(true);
        if (pos >= s.length()) {
          break;
        }
        int start = pos;
        if (peek() == '[') {
          boolean array = s.startsWith("[[", pos);
          pos += array ? 2 : 1;
          List<String> header = key();
          if (header != null) {
            table = header;
            record(header, start);
          }
        } else {
          List<String> key = key();
          skipBlank(false);
          if (key != null && peek() == '=') {
            pos++;
            List<String> full = concat(table, key);
            record(full, start);
            value(full);
          }
        }
        skipLine();
      }
      return found;
    }

    /** A value; records keys of inline tables under {@code path}. */
    private void value(List<String> path) {
      skipBlank(false);
      char c = peek();
      if (c == '{') {
        pos++;
        while (pos < s.length()) {
          skipBlank(true);
          if (peek() == '}') {
            pos++;
            return;
          }
          int start = pos;
          List<String> key = key();
          skipBlank(false);
          if (key == null || peek() != '=') {
            return;
          }
          pos++;
          record(concat(path, key), start);
          value(concat(path, key));
          skipBlank(true);
          if (peek() == ',') {
            pos++;
          }
        }
      } else if (c == '[') {
        pos++;
        while (pos < s.length()) {
          skipBlank(true);
          if (peek() == ']') {
            pos++;
            return;
          }
          int before = pos;
          value(path);
          skipBlank(true);
          if (peek() == ',') {
            pos++;
          } else if (pos == before) {
            pos++;
          }
        }
      } else if (s.startsWith("\"\"\"", pos) || s.startsWith("'''", pos)) {
        String quote = s.substring(pos, pos + 3);
        int end = findClose(quote, pos + 3, quote.charAt(0) == '"');
        // a closing triple quote may be followed by up to two more quote characters
        while (end < s.length() && s.charAt(end) == quote.charAt(0)) {
          end++;
        }
        pos = end;
      } else if (c == '"' || c == '\'') {
        quoted();
      } else {
        while (pos < s.length() && ",]}#\n\r".indexOf(s.charAt(pos)) < 0) {
          pos++;
        }
      }
    }

    /** A dotted key of bare and quoted parts, or null when there is none here. */
    private List<String> key() {
      List<String> parts = new ArrayList<>();
      while (true) {
        skipBlank(false);
        char c = peek();
        String part;
        if (c == '"' || c == '\'') {
          part = quoted();
        } else {
          int start = pos;
          while (pos < s.length() && isBare(s.charAt(pos))) {
            pos++;
          }
          part = pos > start ? s.substring(start, pos) : null;
        }
        if (part == null) {
          return null;
        }
        parts.add(part);
        skipBlank(false);
        if (peek() != '.') {
          return parts;
        }
        pos++;
      }
    }

    /** A single-line quoted string at pos; returns its (lightly unescaped) content. */
    private String quoted() {
      char q = s.charAt(pos++);
      StringBuilder out = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != q && s.charAt(pos) != '\n') {
        char c = s.charAt(pos++);
        if (c == '\\' && q == '"' && pos < s.length()) {
          out.append(s.charAt(pos++));
        } else {
          out.append(c);
        }
      }
      pos = Math.min(s.length(), pos + 1);
      return out.toString();
    }

    private int findClose(String quote, int from, boolean escapes) {
      int i = from;
      while (i < s.length()) {
        if (escapes && s.charAt(i) == '\\') {
          i += 2;
        } else if (s.startsWith(quote, i)) {
          return i + 3;
        } else {
          i++;
        }
      }
      return s.length();
    }

    private void skipBlank(boolean newlinesToo) {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || (newlinesToo && (c == '\n' || c == '\r'))) {
          pos++;
        } else if (c == '#' && newlinesToo) {
          skipLine();
        } else {
          return;
        }
      }
    }

    private void skipLine() {
      int nl = s.indexOf('\n', pos);
      pos = nl < 0 ? s.length() : nl + 1;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void record(List<String> path, int at) {
      int idx = Arrays.binarySearch(newlines, at);
      int line = (idx >= 0 ? idx : -idx - 1) + 1;
      found.putIfAbsent(List.copyOf(path), line);
    }

    private static boolean isBare(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-';
    }

    private static List<String> concat(List<String> a, List<String> b) {
      List<String> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
  }
}
