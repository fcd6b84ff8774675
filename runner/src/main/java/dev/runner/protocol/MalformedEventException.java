package dev.runner.protocol;

/** A server event that is not a JSON object with a {@code type}: a protocol error, retryable as a broken stream. */
public final class MalformedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
