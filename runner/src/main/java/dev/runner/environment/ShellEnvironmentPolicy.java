package dev.runner.environment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Codex's {@code [shell_environment_policy]}: which of the runner's variables reach the commands the model runs.
 * Applied in codex's order, with the runner's {@link SecretRule} as a step codex does not have:
 *
 * <ol>
 *   <li>{@code inherit}: start from all variables, the core ones ({@code HOME LOGNAME PATH SHELL USER USERNAME TMPDIR
 *       TEMP TMP}, exact names) or none;
 *   <li>the secret rule (always, whatever the other keys say): secret variables are dropped and proxy URLs lose their
 *       user info;
 *   <li>unless {@code ignore_default_excludes} (default true, as in codex), codex's default excludes: names containing
 *       {@code KEY}, {@code SECRET} or {@code TOKEN} anywhere;
 *   <li>{@code exclude}: names matching any of these patterns are dropped;
 *   <li>{@code set}: these variables are added or replaced, as written. A value set here is the user's choice and
 *       reaches tools even under a secret-looking name; the providers' own key and header variables never do;
 *   <li>{@code include_only}: when not empty, only names matching one of these patterns are kept (set ones too).
 * </ol>
 *
 * <p>Patterns are codex's: globs over the whole name, {@code *} any run of characters, {@code ?} one character,
 * without regard to case (codex's comment calls them regular expressions; its matcher is a glob).
 *
 * @param inherit the starting set [{@link Inherit#ALL}]
 * @param ignoreDefaultExcludes skip step 3 [true]
 * @param exclude patterns of names to drop [none]
 * @param set variables to add or replace, in order [none]
 * @param includeOnly patterns of names to keep, when not empty [none]
 */
public record ShellEnvironmentPolicy(
    Inherit inherit,
    boolean ignoreDefaultExcludes,
    List<String> exclude,
    Map<String, String> set,
    List<String> includeOnly) {

  /** Codex's defaults: inherit everything, no default excludes, nothing else. */
  public static final ShellEnvironmentPolicy DEFAULT = new ShellEnvironmentPolicy(Inherit.ALL, true, List.of(),
      Map.of(), List.of());

  private static final List<String> CORE = List.of("HOME", "LOGNAME", "PATH", "SHELL", "USER", "USERNAME",
      "TMPDIR", "TEMP", "TMP");
  private static final List<String> DEFAULT_EXCLUDES = List.of("*KEY*", "*SECRET*", "*TOKEN*");

  /** Codex's {@code inherit} values. */
  public enum Inherit {
    ALL("all"),
    CORE("core"),
    NONE("none");

    private final String label;

    Inherit(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The value for a config label ({@code all}, {@code core}, {@code none}). */
    public static Inherit of(String label) {
      for (Inherit i : values()) {
        if (i.label.equals(label)) {
          return i;
        }
      }
      throw new IllegalArgumentException("inherit must be all, core or none, got " + label);
    }
  }

  public ShellEnvironmentPolicy {
    Objects.requireNonNull(inherit, "inherit");
    exclude = List.copyOf(exclude);
    set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    includeOnly = List.copyOf(includeOnly);
  }

  /**
   * The environment of tool commands from the runner's own {@code environment}, by the steps above.
   *
   * @param rule what a secret is, with the providers' variables named
   * @return the variables, sorted by name, and the {@code set} names left out because they are provider variables
   */
  public ToolEnvironment apply(Map<String, String> environment, SecretRule rule) {
    Map<String, String> env = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (inherits(name)) {
        rule.forTools(name, value).ifPresent(v -> env.put(name, v));
      }
    });
    if (!ignoreDefaultExcludes) {
      env.keySet().removeIf(matchesAny(DEFAULT_EXCLUDES));
    }
    env.keySet().removeIf(matchesAny(exclude));
    List<String> refused = new ArrayList<>();
    set.forEach((name, value) -> {
      if (rule.isProviderVariable(name)) {
        refused.add(name);
      } else {
        env.put(name, value);
      }
    });
    if (!includeOnly.isEmpty()) {
      env.keySet().removeIf(matchesAny(includeOnly).negate());
    }
    return new ToolEnvironment(env, refused);
  }

  private boolean inherits(String name) {
    return switch (inherit) {
      case ALL -> true;
      case CORE -> CORE.contains(name);
      case NONE -> false;
    };
  }

  private static Predicate<String> matchesAny(List<String> globs) {
    List<Pattern> patterns = globs.stream().map(ShellEnvironmentPolicy::glob).toList();
    return name -> patterns.stream().anyMatch(p -> p.matcher(name).matches());
  }

  /** A codex pattern as a regular expression: {@code *} and {@code ?} are wildcards, the rest literal, any case. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }

  @Override
  public String toString() {
    // set values may be credentials the user hands to tools on purpose: names only
    return "ShellEnvironmentPolicy[inherit=" + inherit.label() + ", ignore_default_excludes=" + ignoreDefaultExcludes
        + ", exclude=" + exclude + ", set=" + set.keySet() + ", include_only=" + includeOnly + "]";
  }
}
