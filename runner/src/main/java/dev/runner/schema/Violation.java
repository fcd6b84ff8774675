package dev.runner.schema;

import java.util.Objects;

/**
 * One way the final answer breaks the user's output schema.
 *
 * @param pointer JSON Pointer (RFC 6901) of the offending value in the answer; {@code ""} is the whole answer
 * @param keyword the schema keyword that failed ({@code type}, {@code required}, {@code enum}, ...)
 * @param message what is wrong, in English, without the location
 */
public record Violation(String pointer, String keyword, String message) {
  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(message, "message");
  }

  /** The pointer for people: {@code "/files/2"}, or {@code "(root)"} for the whole answer. */
  public String location() {
    return Pointers.display(pointer);
  }

  /** {@code "/files/2: integer found, string expected (type)"}. */
  @Override
  public String toString() {
    return location() + ": " + message + " (" + keyword + ")";
  }
}
