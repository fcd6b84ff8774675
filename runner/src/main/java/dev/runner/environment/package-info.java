/**
 * What the runner's environment holds and what of it reaches tool commands: {@link
 * dev.runner.environment.SecretRule}, the one rule for which variables are credentials (shared by the tool
 * environment and the log redactor), and {@link dev.runner.environment.ShellEnvironmentPolicy}, codex's {@code
 * [shell_environment_policy]}, which yields a {@link dev.runner.environment.ToolEnvironment}. Depends on nothing else
 * of the runner, so {@code config}, {@code tools} and {@code logging} may all use it.
 */
package dev.runner.environment;
