package dev.runner.github;

import dev.runner.metrics.RunReport;
import java.nio.file.Path;
import java.util.List;

/**
 * How one {@code runner exec} ended, as GitHub is told about it.
 *
 * @param exitCode the process's exit code
 * @param error the failure's message, or null on success
 * @param finalMessage the model's last final message (also when it failed its schema), or null when there was none
 * @param schema whether the answer was checked against an output schema, and how it fared
 * @param report the timing report, or null when the run ended before the loop started
 * @param resultFile the {@code -o} file, or null
 * @param metricsFile the {@code --metrics} file, or null
 */
public record ExecOutcome(int exitCode, String error, String finalMessage, SchemaCheck schema, RunReport report,
    Path resultFile, Path metricsFile) {

  /** Not checked ({@code checked == false}), valid (no problems, no parse error), or why not. */
  public record SchemaCheck(boolean checked, String parseError, List<Problem> problems) {
    public static final SchemaCheck NONE = new SchemaCheck(false, null, List.of());

    public SchemaCheck {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return checked && parseError == null && problems.isEmpty();
    }
  }

  /**
   * One schema violation.
   *
   * @param pointer JSON pointer into the answer ({@code ""} is the whole answer)
   * @param message what is wrong
   */
  public record Problem(String pointer, String message) {
    /** The pointer for people: {@code (root)} for the whole answer. */
    public String location() {
      return pointer.isEmpty() ? "(root)" : pointer;
    }
  }
}
