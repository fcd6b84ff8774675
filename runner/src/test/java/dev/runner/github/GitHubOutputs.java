package dev.runner.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code $GITHUB_OUTPUT} file as the Actions runner does: a line with {@code <<} before any {@code =} opens a
 * multi-line value that ends at the line equal to the delimiter; any other non-empty line is {@code name=value}. A
 * later value of a name replaces an earlier one.
 */
public final class GitHubOutputs {
  private GitHubOutputs() {}

  public static Map<String, String> parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Map<String, String> outputs = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      int equals = line.indexOf('=');
      int heredoc = line.indexOf("<<");
      if (heredoc >= 0 && (equals < 0 || heredoc < equals)) {
        String name = line.substring(0, heredoc);
        String delimiter = line.substring(heredoc + 2);
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (j < lines.size() && !lines.get(j).equals(delimiter)) {
          value.append(j > i + 1 ? "\n" : "").append(lines.get(j));
          j++;
        }
        if (j == lines.size()) {
          throw new IllegalStateException("no end delimiter for " + name);
        }
        outputs.put(name, value.toString());
        i = j;
      } else if (equals > 0) {
        outputs.put(line.substring(0, equals), line.substring(equals + 1));
      } else {
        throw new IllegalStateException("invalid line: " + line);
      }
    }
    return outputs;
  }
}
