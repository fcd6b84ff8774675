package dev.runner.environment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one rule for which environment variables hold credentials. The tool environment drops them (see {@link
 * ShellEnvironmentPolicy}) and the log redactor hides their values, so both agree on what a secret is.
 *
 * <p>A name is a secret, compared without regard to case, when it is one of the {@linkplain #withVariables named
 * variables} (the providers' {@code env_key} and {@code env_http_headers} sources), or when its {@code _}-separated
 * words say so:
 *
 * <ul>
 *   <li>it ends with {@code KEY}, {@code TOKEN}, {@code SECRET}, {@code PASSWORD}, {@code PASSWD}, {@code
 *       PASSPHRASE}, {@code CREDENTIAL(S)}, underscore or not ({@code OPENAI_API_KEY}, {@code APIKEY}, {@code
 *       PGPASSWORD});
 *   <li>any word is {@code KEY}, {@code TOKEN}, {@code SECRET}, {@code PASSWORD}, {@code PASSWD}, {@code PASSPHRASE},
 *       {@code CREDENTIAL(S)}, {@code APIKEY} or {@code WEBHOOK} ({@code AWS_ACCESS_KEY_ID}, {@code
 *       ACTIONS_ID_TOKEN_REQUEST_URL}, {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, {@code SLACK_WEBHOOK_URL});
 *   <li>the last of two or more words is {@code PAT}, {@code AUTH}, {@code PASS} or {@code PWD} ({@code GH_PAT},
 *       {@code NPM_CONFIG__AUTH}, {@code MYSQL_PWD}; {@code PWD} and {@code OLDPWD} alone are the working
 *       directory and stay);
 *   <li>it is {@code SSHPASS} or {@code DOCKER_AUTH_CONFIG}.
 * </ul>
 *
 * <p>Whole words, not substrings: {@code MAX_TOKENS}, {@code TOKENIZERS_PARALLELISM}, {@code KEYCLOAK_URL}, {@code
 * SSH_AUTH_SOCK} and {@code PATH} are not secrets. Proxy variables ({@code HTTP_PROXY}, {@code https_proxy}, {@code
 * ALL_PROXY}, ...) whose URL carries user info are not dropped but reach tools without it, so a tool still finds the
 * proxy; the user info itself is a secret value.
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretRule {
  private static final Set<String> SECRET_ENDINGS = Set.of("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD",
      "PASSPHRASE", "CREDENTIAL", "CREDENTIALS");
  private static final Set<String> SECRET_WORDS = Set.of("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD",
      "PASSPHRASE", "CREDENTIAL", "CREDENTIALS", "APIKEY", "WEBHOOK");
  private static final Set<String> SECRET_LAST_WORDS = Set.of("PAT", "AUTH", "PASS", "PWD");
  private static final Set<String> SECRET_NAMES = Set.of("SSHPASS", "DOCKER_AUTH_CONFIG");
  /** Values too common to be worth hiding in every log line (flags such as {@code USE_TOKEN=true}). */
  private static final Set<String> PLAIN_VALUES = Set.of("true", "false", "null", "none", "yes");
  private static final int SHORTEST_SECRET_VALUE = 4;
  private static final SecretRule STANDARD = new SecretRule(Set.of());

  private final Set<String> variables;

  private SecretRule(Set<String> upperCaseVariables) {
    this.variables = Set.copyOf(upperCaseVariables);
  }

  /** The rule by name patterns alone, before the configuration is known. */
  public static SecretRule standard() {
    return STANDARD;
  }

  /** This rule, also naming {@code names} (any case) as secrets: providers' key and header variables. */
  public SecretRule withVariables(Collection<String> names) {
    Set<String> all = new TreeSet<>(variables);
    names.stream().filter(n -> n != null && !n.isBlank()).map(SecretRule::upper).forEach(all::add);
    return new SecretRule(all);
  }

  /** The variables named explicitly, upper-cased and sorted, for messages and {@code runner config}. */
  public Set<String> variables() {
    return new TreeSet<>(variables);
  }

  /** True when the variable {@code name} holds a credential by this rule. */
  public boolean isSecret(String name) {
    String n = upper(name);
    if (variables.contains(n) || SECRET_NAMES.contains(n)) {
      return true;
    }
    for (String ending : SECRET_ENDINGS) {
      if (n.endsWith(ending)) {
        return true;
      }
    }
    String[] words = n.split("_");
    for (String word : words) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    return words.length > 1 && SECRET_LAST_WORDS.contains(words[words.length - 1]);
  }

  /** True for the explicitly named variables only (the providers' own), which nothing may hand to a tool. */
  public boolean isProviderVariable(String name) {
    return variables.contains(upper(name));
  }

  /**
   * What a tool may see of the inherited variable {@code name}: empty when it is a secret, the URL without its user
   * info for a proxy variable that has one, else {@code value} unchanged.
   */
  public Optional<String> forTools(String name, String value) {
    if (isSecret(name)) {
      return Optional.empty();
    }
    if (isProxyVariable(name)) {
      return Optional.of(withoutUserInfo(value));
    }
    return Optional.of(value);
  }

  /**
   * The values in {@code environment} a log line must never show: those of secret variables, and a proxy URL's user
   * info ({@code user:pass}) and password. Values shorter than four characters and plain words such as {@code true}
   * are left out: hiding them would garble every line without protecting anything.
   */
  public List<String> secretValues(Map<String, String> environment) {
    Set<String> values = new LinkedHashSet<>();
    environment.forEach((name, value) -> {
      if (value == null) {
        return;
      }
      if (isSecret(name)) {
        values.add(value.strip());
      } else if (isProxyVariable(name)) {
        userInfo(value).ifPresent(info -> {
          values.add(info);
          int colon = info.indexOf(':');
          if (colon >= 0) {
            values.add(info.substring(colon + 1));
          }
        });
      }
    });
    List<String> kept = new ArrayList<>();
    for (String v : values) {
      if (v.length() >= SHORTEST_SECRET_VALUE && !PLAIN_VALUES.contains(v.toLowerCase(Locale.ROOT))) {
        kept.add(v);
      }
    }
    return kept;
  }

  /** {@code HTTP_PROXY}, {@code https_proxy}, {@code ALL_PROXY}, {@code FTP_PROXY}...: any {@code *_PROXY}. */
  static boolean isProxyVariable(String name) {
    return upper(name).endsWith("_PROXY");
  }

  /** {@code url} without {@code user:pass@}; text that is not such a URL is returned as is. */
  static String withoutUserInfo(String url) {
    Optional<String> info = userInfo(url);
    if (info.isEmpty()) {
      return url;
    }
    int at = url.indexOf(info.get() + "@");
    return url.substring(0, at) + url.substring(at + info.get().length() + 1);
  }

  /** The raw user info of a URL ({@code user:pass} as written, percent-encoding kept), if it has one. */
  private static Optional<String> userInfo(String url) {
    String text = url.strip();
    // a bare user:pass@host:port (curl accepts it) has no scheme; the authority ends at the first / ? or #, and the
    // user info at its last @ (a password may hold an unescaped @, which java.net.URI refuses)
    int scheme = text.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = text.length();
    for (char c : new char[]{'/', '?', '#'}) {
      int i = text.indexOf(c, start);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    int at = text.lastIndexOf('@', end - 1);
    return at > start ? Optional.of(text.substring(start, at)) : Optional.empty();
  }

  private static String upper(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRule other && other.variables.equals(variables);
  }

  @Override
  public int hashCode() {
    return variables.hashCode();
  }

  @Override
  public String toString() {
    return "SecretRule" + variables();
  }
}
