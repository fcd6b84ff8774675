package dev.runner.transport;

import dev.runner.protocol.ApiError;
import java.time.Duration;

/**
 * A failed attempt, classified so {@link RetryPolicy} can decide what happens next. It never leaves a session: the
 * policy turns it into a {@link dev.runner.RunnerException} once it will not retry, except {@link Kind#UPGRADE}, which
 * a WebSocket transport that may fall back hands to its fallback.
 */
public final class TransportFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides the retry budget. */
  public enum Kind {
    /** TCP connect or TLS handshake failed: request budget. */
    CONNECT,
    /** The server answered with an HTTP error status: request budget when retryable. */
    STATUS,
    /** The connection broke while sending or before the answer began: request budget. */
    IO,
    /** The stream broke: EOF or close before a terminal event, malformed event: stream budget. */
    STREAM,
    /** No event within the idle timeout: stream budget, a timeout when exhausted. */
    IDLE,
    /** {@code response.failed} or an {@code error} event: retried only for server-side or rate-limit errors. */
    API,
    /** The peer broke the protocol in a way a retry will not fix (oversized event): never retried. */
    PROTOCOL,
    /** The WebSocket upgrade was refused or timed out: never retried, the caller may fall back to HTTP. */
    UPGRADE,
    /** The server's certificate was not trusted: never retried, never a reason to fall back. */
    TLS,
    /** The proxy refused the tunnel for want of credentials (407) or by policy (403): never retried. */
    PROXY
  }

  private final Kind kind;
  private final transient ApiError error;
  private final Duration retryAfter;
  private final Boolean shouldRetry;

  public TransportFailure(Kind kind, String message, ApiError error, Duration retryAfter, Boolean shouldRetry,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.error = error;
    this.retryAfter = retryAfter;
    this.shouldRetry = shouldRetry;
  }

  public static TransportFailure of(Kind kind, String message, Throwable cause) {
    return new TransportFailure(kind, message, null, null, null, cause);
  }

  public static TransportFailure api(ApiError error) {
    return api(error, null);
  }

  /** An API error with the wait the server asked for (a WebSocket error event's {@code headers}), or null. */
  public static TransportFailure api(ApiError error, Duration retryAfter) {
    return new TransportFailure(Kind.API, error.describe(), error, retryAfter, null, null);
  }

  /**
   * Classifies an IO-side exception: connect and TLS failures, a connection that broke before the answer, or (when
   * {@code streaming}) a broken stream. A {@code TransportFailure} passes through unchanged.
   */
  public static TransportFailure from(Throwable t, boolean streaming, String where) {
    if (t instanceof TransportFailure f) {
      return f;
    }
    String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    if (t instanceof javax.net.ssl.SSLHandshakeException && certificateProblem(t)) {
      return of(Kind.TLS, "the TLS handshake with " + where + " failed: the server's certificate is not trusted ("
          + rootMessage(t) + ")", t);
    }
    ProxyRefusal refusal = ProxyRefusal.of(t);
    if (refusal != null && refusal.permanent()) {
      return of(Kind.PROXY, refusal.describe() + " (for " + where + ")", t);
    }
    if (t instanceof java.net.ConnectException || t instanceof io.netty.channel.ConnectTimeoutException
        || t instanceof javax.net.ssl.SSLException || t instanceof java.net.UnknownHostException) {
      return of(Kind.CONNECT, "could not connect to " + where + " (" + what + ")", t);
    }
    return of(streaming ? Kind.STREAM : Kind.IO, "connection to " + where + " broke (" + what + ")", t);
  }

  private static boolean certificateProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.security.cert.CertificateException
          || c instanceof java.security.cert.CertPathValidatorException
          || c instanceof java.security.cert.CertPathBuilderException) {
        return true;
      }
    }
    return String.valueOf(t.getMessage()).contains("certificate");
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }

  public Kind kind() {
    return kind;
  }

  /** The service's error, or null. */
  public ApiError error() {
    return error;
  }

  /** A wait the server asked for ({@code Retry-After-Ms} / {@code Retry-After}), or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** The server's {@code X-Should-Retry} verdict, or null when it gave none. */
  public Boolean shouldRetry() {
    return shouldRetry;
  }

  /** The error code, or null. */
  public String code() {
    return error == null ? null : error.code();
  }
}
