package dev.runner.cli;

import dev.runner.logging.Level;
import dev.runner.logging.LogSettings;
import dev.runner.logging.Logs;
import dev.runner.logging.Redactor;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code -v/--verbose} and {@code -q/--quiet}, combined with {@code RUNNER_LOG}. */
final class LoggingOptions {
  boolean[] verbose = new boolean[0];
  boolean quiet;

  /** Adds these options to {@code spec}, bound to this object's fields. */
  void addTo(CommandSpec spec) {
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-v", "--verbose").type(boolean[].class).arity("0")
        .description("More detail on stderr (info; -vv debug). RUNNER_LOG=area=level,... selects per area."),
        () -> verbose, v -> verbose = v).build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-q", "--quiet").type(boolean.class)
        .description("Only errors on stderr: no progress, no summary."), () -> quiet, v -> quiet = v).build());
  }

  boolean isVerbose() {
    return verbose.length > 0;
  }

  /** Sets up logging for this process from flags and {@code RUNNER_LOG}; warns about a bad spec. */
  void install(Environment environment, PrintWriter err) {
    install(environment, err, java.util.List.of());
  }

  /** As {@link #install(Environment, PrintWriter)}, also redacting {@code secret} (a provider's resolved key). */
  void install(Environment environment, PrintWriter err, String secret) {
    install(environment, err, secret == null ? java.util.List.of() : java.util.List.of(secret));
  }

  /** As {@link #install(Environment, PrintWriter)}, also redacting each of {@code secrets} (providers' keys). */
  void install(Environment environment, PrintWriter err, java.util.List<String> secrets) {
    Level base = quiet
        ? Level.ERROR
        : verbose.length >= 2 ? Level.DEBUG : verbose.length == 1 ? Level.INFO : Level.WARN;
    StringBuilder problems = new StringBuilder();
    LogSettings settings = LogSettings.parse(environment.get("RUNNER_LOG"), base, problems);
    if (quiet) {
      settings = settings.withDefault(Level.ERROR);
    }
    Redactor redactor = Redactor.fromEnvironment(environment.variables());
    for (String secret : secrets) {
      redactor = redactor.with(secret);
    }
    Logs.install(settings, redactor, err);
    if (secrets.isEmpty() && !problems.isEmpty()) {
      err.println("runner: warning: " + problems);
    }
  }
}
