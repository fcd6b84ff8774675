package dev.runner.config;

import java.util.List;

/**
 * The {@code [sandbox_paths]} table: what the read-only and workspace-write sandboxes hide from commands besides their
 * defaults (credential stores such as {@code ~/.ssh}, {@code ~/.aws}, {@code ~/.docker}), and which defaults to leave
 * visible. Each path is absolute or starts with {@code ~/} (the commands' {@code $HOME}).
 *
 * @param hide {@code sandbox_paths.hide} [none]
 * @param expose {@code sandbox_paths.expose} [none]
 */
public record SandboxPaths(List<String> hide, List<String> expose) {
  public SandboxPaths {
    hide = List.copyOf(hide);
    expose = List.copyOf(expose);
  }
}
