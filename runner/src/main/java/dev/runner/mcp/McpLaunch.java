package dev.runner.mcp;

import dev.runner.environment.SecretRule;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.SandboxPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The facts of a run that MCP servers start with.
 *
 * @param workspace the run's workspace: stdio servers start there unless they set {@code cwd}
 * @param sandbox the shell's sandbox mode; stdio servers run under it when it isolates
 * @param policy the paths the sandbox hides
 * @param environment the runner's own variables: servers get only the core ones of these (HOME, PATH, ...), less
 *     secrets, plus their {@code env}; bearer tokens are read from here
 * @param rule the run's secret rule
 * @param strict {@code --strict-config}: a server that fails to start fails the run (exit 2)
 * @param clientVersion sent to servers as the client's version
 */
public record McpLaunch(
    Path workspace,
    SandboxMode sandbox,
    SandboxPolicy policy,
    Map<String, String> environment,
    SecretRule rule,
    boolean strict,
    String clientVersion) {
  public McpLaunch {
    workspace = Objects.requireNonNull(workspace, "workspace").toAbsolutePath().normalize();
    Objects.requireNonNull(sandbox, "sandbox");
    Objects.requireNonNull(policy, "policy");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(clientVersion, "clientVersion");
  }
}
