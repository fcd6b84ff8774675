package dev.runner.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Options written before an {@code exec} sub-command ({@code runner exec --json resume --last}) apply to it, as they do
 * in codex, where they are exec's own. Picocli gives them to the parent's object; this copies each one the sub-command
 * did not set itself, and puts a parent's repeated values ({@code -c}) before the sub-command's.
 */
final class ParentOptions {
  private ParentOptions() {}

  static void inherit(CommandSpec child) {
    CommandLine.ParseResult parent = child.parent().commandLine().getParseResult();
    CommandLine.ParseResult own = child.commandLine().getParseResult();
    if (parent == null) {
      return;
    }
    for (OptionSpec given : parent.matchedOptions()) {
      OptionSpec mine = child.findOption(given.longestName());
      if (mine == null) {
        continue;
      }
      Object value = given.getValue();
      if (own != null && own.hasMatchedOption(mine)) {
        if (value instanceof Collection<?> before && mine.getValue() instanceof Collection<?> after) {
          List<Object> both = new ArrayList<>(before);
          both.addAll(after);
          mine.setValue(both);
        }
        continue;
      }
      mine.setValue(value instanceof Collection<?> c ? new ArrayList<>(c) : value);
    }
  }
}
