package dev.runner.batch;

import dev.runner.config.ConfigInput;
import dev.runner.config.RunConfig;
import dev.runner.tools.SandboxMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * What a task line does not say: the command line's flags, as {@code exec} has them.
 *
 * @param config the configuration input from {@code -m}, {@code -p}, {@code --provider}, {@code --transport}, {@code
 *     -c} and the environment; a task's own fields are layered on top
 * @param resolver turns a configuration input into the resolved configuration (throws a usage error)
 * @param outputSchema {@code --output-schema}, or null
 * @param sandbox {@code -s} or {@code --full-auto}; null when neither was given: then each task's configuration decides
 *     ({@code sandbox_mode}, codex's key, as {@code exec} reads it), else read-only
 * @param timeout {@code --timeout}
 * @param maxTurns {@code --max-turns}
 * @param schemaRetries {@code --schema-retries}
 * @param workingDirectory where relative paths in task lines start
 * @param durations parses a task's {@code timeout} text; null when it is not a positive duration
 */
public record TaskDefaults(ConfigInput config, Function<ConfigInput, RunConfig> resolver, Path outputSchema,
    SandboxMode sandbox, Duration timeout, int maxTurns, int schemaRetries, Path workingDirectory,
    Function<String, Duration> durations) {}
