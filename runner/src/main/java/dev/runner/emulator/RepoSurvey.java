package dev.runner.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code demo} scenario's commands showed about the working directory, and the answer a model would write
 * from it. The demo runs {@link #COMMANDS} in order and {@link #of} reads their outputs by position; each finding comes
 * only from the command that looks for it, so a command that failed or printed something unexpected leaves its finding
 * empty instead of filling it with another command's lines.
 *
 * @param entries the top-level listing ({@code ls -Ap}: directories end in {@code /})
 * @param fileCount files found (tracked files in a git checkout), or -1 when the count did not print
 * @param languages languages by file extension, most files first
 * @param commits recent commits as {@code git log --oneline} prints them (empty outside a git checkout)
 * @param readme the README's first paragraph as one line, or empty
 */
record RepoSurvey(List<String> entries, long fileCount, List<Language> languages, List<String> commits,
    String readme) {

  /** The files of the directory: tracked files in a git checkout, else every file outside {@code .git}. */
  private static final String FILES = "(git ls-files 2>/dev/null || find . -type f -not -path './.git/*')";

  /** The demo's commands, in the order {@link #of} expects their outputs. */
  static final List<String> COMMANDS = List.of(
      "ls -Ap",
      FILES + " | wc -l",
      FILES + " | sed -n 's|^.*[^/]\\.\\([A-Za-z0-9+]*\\)$|\\1|p' | sort | uniq -c | sort -rn | head -n 20",
      "git log --oneline -5 2>/dev/null || true",
      "ls -d README* readme* Readme* 2>/dev/null | head -n 1 | xargs -r sed -n '1,40p'");

  private static final Pattern COUNT = Pattern.compile("\\s*(\\d{1,12})\\s*");
  private static final Pattern EXTENSION_COUNT = Pattern.compile("\\s*(\\d{1,12})\\s+([A-Za-z0-9+]{1,16})\\s*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40} .+");
  private static final int MAX_FILES = 10;

  /** Programming languages by extension; data and prose formats only count when no language was seen. */
  private static final Map<String, String> LANGUAGES = table(
      "java=Java kt=Kotlin kts=Kotlin scala=Scala groovy=Groovy clj=Clojure py=Python js=JavaScript mjs=JavaScript "
          + "cjs=JavaScript jsx=JavaScript ts=TypeScript tsx=TypeScript go=Go rs=Rust c=C h=C cc=C++ cpp=C++ "
          + "cxx=C++ hpp=C++ hh=C++ cs=C# fs=F# rb=Ruby php=PHP swift=Swift m=Objective-C dart=Dart lua=Lua pl=Perl "
          + "r=R ex=Elixir exs=Elixir erl=Erlang hs=Haskell ml=OCaml zig=Zig nim=Nim sh=Shell bash=Shell zsh=Shell "
          + "ps1=PowerShell sql=SQL html=HTML htm=HTML css=CSS scss=SCSS vue=Vue svelte=Svelte tf=HCL nix=Nix");
  private static final Map<String, String> FORMATS = table(
      "md=Markdown rst=reStructuredText adoc=AsciiDoc json=JSON yml=YAML yaml=YAML toml=TOML xml=XML");

  /** Files a newcomer opens first, in that order; other top-level files follow, then directories. */
  private static final List<String> FIRST_FILES = List.of("readme", "pom.xml", "build.gradle", "build.gradle.kts",
      "settings.gradle", "package.json", "cargo.toml", "go.mod", "pyproject.toml", "setup.py", "gemfile",
      "makefile", "cmakelists.txt", "dockerfile", "license", "copying");

  /** Files with one language's extension. */
  record Language(String name, long files) {}

  RepoSurvey {
    entries = List.copyOf(entries);
    languages = List.copyOf(languages);
    commits = List.copyOf(commits);
  }

  /** Reads the outputs of {@link #COMMANDS}, by position; missing outputs leave their findings empty. */
  static RepoSurvey of(List<String> outputs) {
    return new RepoSurvey(entries(at(outputs, 0)), count(at(outputs, 1)), languages(at(outputs, 2)),
        lines(at(outputs, 3)).stream().filter(l -> COMMIT.matcher(l).matches()).toList(), paragraph(at(outputs, 4)));
  }

  /**
   * The finding a schema property of this name asks for, or null: {@code summary}/{@code description} (text),
   * {@code file_count} (integer), {@code files} (paths), {@code languages} (names).
   */
  JsonNode fact(String property) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (property.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
      case "summary", "description", "overview", "about" -> f.textNode(summary());
      case "filecount", "filescount", "numfiles", "numberoffiles", "count" ->
        fileCount < 0 ? null : f.numberNode(fileCount);
      case "files", "paths", "keyfiles", "importantfiles", "relevantfiles" -> strings(relevantFiles());
      case "languages", "langs", "language" -> strings(languages.stream().map(Language::name).toList());
      case "commits", "recentcommits" -> strings(commits);
      default -> null;
    };
  }

  /** Two or three sentences: the README's opening, what the files are, the latest commit. */
  String summary() {
    List<String> sentences = new ArrayList<>();
    String opening = firstSentence(readme);
    if (!opening.isEmpty()) {
      sentences.add(opening);
    }
    String holds = sentences.isEmpty() ? "The directory holds " : "It holds ";
    if (fileCount >= 0) {
      holds += fileCount + (fileCount == 1 ? " file" : " files");
    } else {
      holds += entries.size() + " top-level entries";
    }
    sentences.add(holds + describeLanguages() + ".");
    if (!commits.isEmpty()) {
      String c = commits.get(0);
      int space = c.indexOf(' ');
      sentences.add("The latest commit, " + c.substring(0, space) + ", is \"" + clip(c.substring(space + 1), 90)
          + "\".");
    }
    return String.join(" ", sentences);
  }

  /** The answer without a schema: the summary and the files to look at first. */
  String prose() {
    List<String> files = relevantFiles();
    return summary() + (files.isEmpty() ? "" : "\nStart with: " + String.join(", ", files) + ".");
  }

  List<String> relevantFiles() {
    List<String> out = new ArrayList<>();
    for (String first : FIRST_FILES) {
      for (String e : entries) {
        String lower = e.toLowerCase(Locale.ROOT);
        if (!e.endsWith("/") && (lower.equals(first) || lower.startsWith(first + ".")) && !out.contains(e)) {
          out.add(e);
        }
      }
    }
    entries.stream().filter(e -> !e.endsWith("/") && !e.startsWith(".") && !out.contains(e)).forEach(out::add);
    entries.stream().filter(e -> e.endsWith("/") && !e.startsWith(".")).forEach(out::add);
    return List.copyOf(out.subList(0, Math.min(MAX_FILES, out.size())));
  }

  private String describeLanguages() {
    if (languages.isEmpty()) {
      return fileCount == 0 ? "" : ", none with a language's file extension";
    }
    Language top = languages.get(0);
    StringBuilder sb = new StringBuilder(", mostly ").append(top.name()).append(" (").append(top.files()).append(')');
    List<Language> rest = languages.subList(1, Math.min(3, languages.size()));
    for (int i = 0; i < rest.size(); i++) {
      sb.append(i == 0 ? ", with " : " and ").append(rest.get(i).name()).append(" (").append(rest.get(i).files())
          .append(')');
    }
    return sb.toString();
  }

  private static List<String> entries(String listing) {
    return lines(listing).stream().filter(l -> !l.startsWith("ls:") && !l.equals("./") && !l.equals("../"))
        .toList();
  }

  private static long count(String output) {
    for (String l : lines(output)) {
      Matcher m = COUNT.matcher(l);
      if (m.matches()) {
        return Long.parseLong(m.group(1));
      }
    }
    return -1;
  }

  private static List<Language> languages(String histogram) {
    Map<String, Long> code = new LinkedHashMap<>();
    Map<String, Long> formats = new LinkedHashMap<>();
    for (String l : lines(histogram)) {
      Matcher m = EXTENSION_COUNT.matcher(l);
      if (m.matches()) {
        String ext = m.group(2).toLowerCase(Locale.ROOT);
        long n = Long.parseLong(m.group(1));
        if (LANGUAGES.containsKey(ext)) {
          code.merge(LANGUAGES.get(ext), n, Long::sum);
        } else if (FORMATS.containsKey(ext)) {
          formats.merge(FORMATS.get(ext), n, Long::sum);
        }
      }
    }
    Map<String, Long> chosen = code.isEmpty() ? formats : code;
    return chosen.entrySet().stream().map(e -> new Language(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingLong(Language::files).reversed()).toList();
  }

  /** The first paragraph of prose: headings, badges, HTML and fenced code are skipped. */
  private static String paragraph(String readme) {
    StringBuilder sb = new StringBuilder();
    boolean fenced = false;
    for (String raw : readme.lines().toList()) {
      String l = raw.strip();
      if (l.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      boolean prose = !fenced && !l.isEmpty() && !l.startsWith("#") && !l.startsWith("[!") && !l.startsWith("![")
          && !l.startsWith("<") && !l.startsWith("=") && !l.startsWith("-") && !l.startsWith("|");
      if (prose) {
        sb.append(sb.isEmpty() ? "" : " ").append(l);
      } else if (!sb.isEmpty()) {
        break;
      }
    }
    return sb.toString();
  }

  private static String firstSentence(String paragraph) {
    if (paragraph.isEmpty()) {
      return "";
    }
    int end = paragraph.indexOf(". ");
    String s = end < 0 ? paragraph : paragraph.substring(0, end + 1);
    int colon = s.indexOf(": ");
    if (s.length() > 160 && colon > 0 && colon < 160) {
      s = s.substring(0, colon); // a long opening sentence usually says what the project is before its colon
    }
    s = clip(s, 240);
    return s.endsWith(".") || s.endsWith("…") ? s : s + ".";
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1).stripTrailing() + "…";
  }

  private static String at(List<String> outputs, int i) {
    return i < outputs.size() ? outputs.get(i) : "";
  }

  private static List<String> lines(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static Map<String, String> table(String pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String p : pairs.split(" ")) {
      int eq = p.indexOf('=');
      m.put(p.substring(0, eq), p.substring(eq + 1));
    }
    return Map.copyOf(m);
  }
}
