package dev.runner.tools;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Finds a hunk's lines in a file. Tries an exact match first, then ignoring trailing whitespace,
 * then ignoring surrounding whitespace, then also treating typographic dashes and quotes as their
 * ASCII forms: models often normalize these when copying context.
 */
final class LineMatcher {
  private static final List<UnaryOperator<String>> PASSES = List.of(s -> s, String::stripTrailing, String::strip,
      s -> ascii(s.strip()));

  private LineMatcher() {}

  /**
   * The index at or after {@code from} where {@code pattern} starts in {@code lines}, or -1. With
   * {@code endOfFile} a match that ends the file is preferred.
   */
  static int find(List<String> lines, List<String> pattern, int from, boolean endOfFile) {
    if (pattern.isEmpty()) {
      return from;
    }
    if (endOfFile) {
      int atEnd = lines.size() - pattern.size();
      if (atEnd >= from) {
        for (UnaryOperator<String> norm : PASSES) {
          if (matchesAt(lines, pattern, atEnd, norm)) {
            return atEnd;
          }
        }
      }
    }
    for (UnaryOperator<String> norm : PASSES) {
      for (int i = from; i + pattern.size() <= lines.size(); i++) {
        if (matchesAt(lines, pattern, i, norm)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean matchesAt(
      List<String> lines, List<String> pattern, int at, UnaryOperator<String> norm) {
    for (int j = 0; j < pattern.size(); j++) {
      if (!norm.apply(lines.get(at + j)).equals(norm.apply(pattern.get(j)))) {
        return false;
      }
    }
    return true;
  }

  private static String ascii(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(
          switch (c) {
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212' -> '-';
            case '\u2018', '\u2019', '\u201A', '\u201B' -> '\'';
            case '\u201C', '\u201D', '\u201E', '\u201F' -> '"';
            case '\u00A0', '\u2002', '\u2003', '\u2009', '\u202F', '\u3000' -> ' ';
            default -> c;
          });
    }
    return out.toString();
  }
}
