package dev.runner.schema;

/** JSON Pointer (RFC 6901) helpers shared by the schema walkers. */
final class Pointers {
  private Pointers() {}

  /** Escapes one reference token: {@code ~} becomes {@code ~0} and {@code /} becomes {@code ~1}, in that order. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer for people: {@code "(root)"} instead of the empty string. */
  static String display(String pointer) {
    return pointer.isEmpty() ? "(root)" : pointer;
  }
}
