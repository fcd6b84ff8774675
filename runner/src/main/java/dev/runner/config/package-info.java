/**
 * Resolved, immutable configuration: codex's {@code config.toml}, the runner's own {@code
 * config.toml}, profiles, {@code -c key=value} overrides and flags, merged in that order into one
 * {@link dev.runner.config.RunConfig} that records where every value came from.
 *
 * <p>Entry point: {@link dev.runner.config.ConfigResolver#resolve(ConfigInput)}. The package reads
 * only the two files it is pointed at through {@link dev.runner.config.ConfigInput}; it never
 * looks at the process environment itself. API keys are never stored: {@link
 * dev.runner.config.ProviderConfig#resolveApiKey(java.util.Map)} reads them where a request is
 * built.
 */
package dev.runner.config;
