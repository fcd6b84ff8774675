package dev.runner.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Test contexts over a real temporary workspace. */
final class Contexts {
  private Contexts() {}

  /** The variables a command needs to find its programs. */
  static Map<String, String> baseEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    return env;
  }

  static ToolContext of(Path workspace, SandboxMode mode) {
    return ToolContext.of(workspace, mode, baseEnvironment(), Duration.ofMinutes(5));
  }

  static ToolCall call(String name, String arguments) {
    return new ToolCall("call_1", name, arguments);
  }
}
