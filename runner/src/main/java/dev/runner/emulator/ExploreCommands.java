package dev.runner.emulator;

import java.util.List;

/**
 * The shell commands of {@code explore:N}: what a model runs to learn a git checkout before it changes anything. It
 * lists directories, tracked files and history, searches for declarations and reads files: separate processes
 * (git, sed, xargs) behind a login shell, printing a few KiB each in a checkout of some hundred files. Commands cycle
 * through {@link #KINDS}; each later pass looks further into the checkout (the next directory, page of files, commits,
 * document and source file). Every command ends in a stage that exits 0, so a small checkout gives shorter outputs,
 * not failed calls.
 */
final class ExploreCommands {
  /** The commands of one pass; {@code %P} is the pass (0-based) and {@code %A,%B} its 1-based line range. */
  static final List<String> KINDS = List.of(
      "ls -la $(git ls-files | grep / | cut -d/ -f1 | sort -u | sed -n '%Pp')",
      "git ls-files | sed -n '%A,%Bp'",
      "git log --oneline --skip=%S | head -n 30",
      "git ls-files '*.md' | sed -n '%Np' | xargs -r -d '\\n' sed -n '1,70p'",
      "git grep -n -I -E '(class|interface|record|enum|def|func|fn) [A-Za-z_]+' | sed -n '%C,%Dp'",
      "git ls-files | grep -E '\\.(java|kt|py|go|rs|ts|js|c|cc|cpp|rb|sh)$' | sed -n '%Np' "
          + "| xargs -r -d '\\n' sed -n '1,110p'",
      "git log -n 1 --skip=%P --stat | head -n 50",
      "git ls-files | sed -n '%A,%Bp' | xargs -r -d '\\n' wc -l | sort -rn | head -n 40");

  private static final int FILES_PER_PAGE = 120;
  private static final int MATCHES_PER_PAGE = 45;

  private ExploreCommands() {}

  /** The {@code k}-th command (1-based). */
  static String command(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("explore commands count from 1, not " + k);
    }
    int pass = (k - 1) / KINDS.size();
    String template = KINDS.get((k - 1) % KINDS.size());
    if (pass == 0 && template.startsWith("ls -la $(")) {
      return "ls -la"; // the first look is at the checkout's root
    }
    return template
        .replace("%P", Integer.toString(pass))
        .replace("%N", Integer.toString(pass + 1))
        .replace("%S", Integer.toString(30 * pass))
        .replace("%A", Integer.toString(FILES_PER_PAGE * pass + 1))
        .replace("%B", Integer.toString(FILES_PER_PAGE * (pass + 1)))
        .replace("%C", Integer.toString(MATCHES_PER_PAGE * pass + 1))
        .replace("%D", Integer.toString(MATCHES_PER_PAGE * (pass + 1)));
  }
}
