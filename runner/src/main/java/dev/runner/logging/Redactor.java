package dev.runner.logging;

import dev.runner.environment.SecretRule;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text bound for a log line or an error message: bearer tokens, {@code sk-}
 * style keys, credentials in URLs (user info, query values named like keys or tokens), the values of
 * known secret environment variables and any extra secret given at start-up.
 */
public final class Redactor {
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
  private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk-[A-Za-z0-9_\\-]{8,})");
  /** The credential after an auth header's name, past its scheme word ({@code Proxy-Authorization: Basic b64}). */
  private static final Pattern AUTH_HEADER = Pattern.compile(
      "(?i)((?:proxy-authorization|authorization|api-key|x-api-key|openai-api-key)\\s*[:=]\\s*"
          + "(?:(?:basic|bearer|digest|negotiate)\\s+)?)[^\\s,;}]+");
  /**
   * {@code user:password@} in a URL, as proxy and gateway URLs carry them; up to the last {@code @} before the host,
   * since a password typed without percent-encoding may hold one.
   */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s?#]+@");
  private static final String CREDENTIAL_WORDS = "(?:key|token|secret|password|passwd|sig|signature|auth|credential|cookie)";
  /**
   * A URL's query value whose name says credential ({@code ?key=}, {@code &access_token=}, {@code sig=}, ...);
   * others, such as Azure's {@code api-version}, stay readable.
   */
  private static final Pattern URL_SECRET_PARAMETER = Pattern.compile(
      "(?i)([?&][a-z0-9_.-]*" + CREDENTIAL_WORDS + "[a-z0-9_.-]*=)[^&\\s#\"')]+");
  private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*" + CREDENTIAL_WORDS + ".*");
  private static final Redactor URLS_ONLY = new Redactor(List.of());

  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    // longest first: a password inside a longer secret (user:password) must not leave the rest showing
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).distinct()
        .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** A redactor that knows the values of {@code env}'s secret variables by the standard {@link SecretRule}. */
  public static Redactor fromEnvironment(java.util.Map<String, String> env) {
    return fromEnvironment(env, SecretRule.standard());
  }

  /**
   * A redactor that knows the values {@code rule} calls secret in {@code env} (see {@link SecretRule#secretValues}):
   * the same rule that keeps them from tool commands, so a value a tool could not see never reaches a log line.
   */
  public static Redactor fromEnvironment(java.util.Map<String, String> env, SecretRule rule) {
    return new Redactor(rule.secretValues(env));
  }

  /**
   * True for a header or query parameter name that says credential ({@code Authorization}, {@code key},
   * {@code access_token}, {@code sig}, {@code Cookie}, ...).
   */
  public static boolean isCredentialName(String name) {
    return CREDENTIAL_NAME.matcher(name).matches();
  }

  /**
   * {@code url} with its user info and credential-named query values redacted, for display (log lines mask every query
   * value instead, see {@code NettyClients.safeUrl}).
   */
  public static String redactUrl(String url) {
    return URLS_ONLY.redact(url);
  }

  public Redactor with(String secret) {
    return with(List.of(secret));
  }

  /** This redactor, also hiding {@code more}. */
  public Redactor with(java.util.Collection<String> more) {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(secrets);
    all.addAll(more);
    return new Redactor(all);
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "[REDACTED]");
    }
    out = URL_USER_INFO.matcher(out).replaceAll("$1[REDACTED]@");
    out = URL_SECRET_PARAMETER.matcher(out).replaceAll("$1[REDACTED]");
    out = BEARER.matcher(out).replaceAll("$1[REDACTED]");
    out = AUTH_HEADER.matcher(out).replaceAll("$1[REDACTED]");
    out = KEY_LIKE.matcher(out).replaceAll("[REDACTED]");
    return out;
  }
}
