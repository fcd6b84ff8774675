package dev.runner.tools;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far the model's tools may reach, named as codex names them on the command line ({@code -s
 * read-only|workspace-write|danger-full-access}). Under the first two, shell commands run inside
 * bubblewrap (see {@link BwrapCommand}) with no network, no capabilities, no Unix sockets of their own
 * making and the credential stores of {@link SandboxPolicy} hidden; apply_patch refuses to write under
 * {@link #READ_ONLY}.
 */
public enum SandboxMode {
  /** Commands see the file system read-only (minus hidden paths) and have no network; patches are refused. */
  READ_ONLY("read-only"),
  /**
   * Like read-only, but the workspace, and the writable roots of {@link SandboxPolicy}, are writable by commands and
   * patches, except their {@code .git}; with {@link SandboxPolicy#networkAccess()} commands keep the network.
   */
  WORKSPACE_WRITE("workspace-write"),
  /** No sandbox: commands run as the runner's own user with network access. */
  DANGER_FULL_ACCESS("danger-full-access");

  private final String label;

  SandboxMode(String label) {
    this.label = label;
  }

  /** The codex spelling, e.g. {@code workspace-write}. */
  public String label() {
    return label;
  }

  /** True when shell commands must run inside bubblewrap. */
  public boolean isolated() {
    return this != DANGER_FULL_ACCESS;
  }

  /** The mode spelled {@code label} (codex spelling), or empty for an unknown label. */
  public static Optional<SandboxMode> fromLabel(String label) {
    return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
  }
}
