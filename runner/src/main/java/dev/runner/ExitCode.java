package dev.runner;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Every exit code the runner uses, in one place; {@code --help} and README list them from here. */
public enum ExitCode {
  SUCCESS(0, "success"),
  TASK_FAILED(1,
      "the task failed: the API refused it (4xx), the model ended it (failed, incomplete), or --max-turns"),
  USAGE(2,
      "usage or configuration error"),
  SCHEMA_VIOLATION(3, "the final output failed schema validation"),
  TRANSPORT(4,
      "the service kept failing after retries (connect, broken stream, 429/5xx) on either transport"),
  // the bound a dead stream is declared in: each try waits the idle timeout in full (plus short backoffs)
  TIMEOUT(5, "timeout: --timeout, or a silent stream: stream_idle_timeout_ms x (1 + stream_max_retries) = 30 min"),
  SIGINT(130,
      "interrupted by SIGINT"),
  SIGTERM(143, "terminated by SIGTERM");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** Lines {@code "code:meaning"} in picocli's {@code exitCodeList} format. */
  public static String[] helpList() {
    return Arrays.stream(values()).map(c -> " " + c.code + ":" + c.meaning).toArray(String[]::new);
  }

  /** A Markdown table for README. */
  public static String markdownTable() {
    return Arrays.stream(values())
        .map(c -> "| " + c.code + " | " + c.meaning + " |")
        .collect(Collectors.joining("\n", "| code | meaning |\n|---|---|\n", "\n"));
  }
}
