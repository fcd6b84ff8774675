package dev.runner.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * codex's project docs: the user's global {@code AGENTS.md} in {@code CODEX_HOME} ({@code AGENTS.override.md} first)
 * and one file per folder from the git root down to the working directory ({@code AGENTS.override.md}, {@code
 * AGENTS.md}, then {@code project_doc_fallback_filenames}), the latter within {@code project_doc_max_bytes}. Sent as
 * codex sends them: one user message before the task, {@code # AGENTS.md instructions for CWD} then the texts inside
 * {@code <INSTRUCTIONS>}, the global one first and {@code --- project-doc ---} between it and the project's.
 *
 * @param files the files whose text is included, global first, then root to working directory
 * @param text the combined text, or empty when there is none
 * @param truncated true when the budget cut a project file short
 */
public record ProjectDocs(List<Path> files, Optional<String> text, boolean truncated) {
  static final String OVERRIDE = "AGENTS.override.md";
  static final String DEFAULT = "AGENTS.md";
  private static final String SEPARATOR = "\n\n--- project-doc ---\n\n";

  public ProjectDocs {
    files = List.copyOf(files);
  }

  public static ProjectDocs none() {
    return new ProjectDocs(List.of(), Optional.empty(), false);
  }

  /**
   * Reads the docs for a run in {@code cwd}. A file that cannot be read is an error naming it: a CI run that silently
   * lost its repository's rules would do the wrong work.
   *
   * @throws java.io.UncheckedIOException when a found file cannot be read
   */
  public static ProjectDocs read(Path cwd, Path codexHome, CodexKeys keys) {
    List<Path> files = new ArrayList<>();
    String global = null;
    for (String name : List.of(OVERRIDE, DEFAULT)) {
      Path p = codexHome.resolve(name);
      if (Files.isRegularFile(p)) {
        String text = readAll(p, Long.MAX_VALUE).strip();
        if (!text.isEmpty()) {
          global = text;
          files.add(p);
          break;
        }
      }
    }
    long remaining = keys.projectDocMaxBytes();
    List<String> parts = new ArrayList<>();
    boolean truncated = false;
    if (remaining > 0) {
      for (Path p : discover(cwd, keys.projectDocFallbackFilenames())) {
        if (remaining <= 0) {
          break;
        }
        if (!Files.exists(p)) {
          continue; // a dangling link, as codex skips it
        }
        long size = size(p);
        String text = readAll(p, remaining);
        if (!text.isBlank()) {
          truncated |= size > remaining;
          parts.add(text);
          files.add(p);
          remaining -= Math.min(size, remaining);
        }
      }
    }
    String project = parts.isEmpty() ? null : String.join("\n\n", parts);
    String combined = global == null ? project : project == null ? global : global + SEPARATOR + project;
    return new ProjectDocs(files, Optional.ofNullable(combined), truncated);
  }

  /** The user message codex sends before the task, for a run in {@code cwd}; empty when there are no docs. */
  public Optional<String> message(Path cwd) {
    return text.map(t -> "# AGENTS.md instructions for " + cwd + "\n\n<INSTRUCTIONS>\n" + t + "\n</INSTRUCTIONS>");
  }

  /** The candidate files, root first: at most one per folder from the git root (or only {@code cwd}) down. */
  static List<Path> discover(Path cwd, List<String> fallbacks) {
    Path dir = real(cwd);
    List<Path> chain = new ArrayList<>();
    Path root = null;
    for (Path p = dir; p != null; p = p.getParent()) {
      chain.addFirst(p);
      if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        root = p;
        break;
      }
    }
    List<Path> folders = root == null ? List.of(dir) : chain;
    List<String> names = new ArrayList<>(List.of(OVERRIDE, DEFAULT));
    for (String f : fallbacks) {
      if (!f.isEmpty() && !names.contains(f)) {
        names.add(f);
      }
    }
    List<Path> found = new ArrayList<>();
    for (Path folder : folders) {
      for (String name : names) {
        Path candidate = folder.resolve(name);
        if (Files.isRegularFile(candidate) || Files.isSymbolicLink(candidate)) {
          found.add(candidate);
          break;
        }
      }
    }
    return found;
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read project doc " + p + ": " + e.getMessage(), e);
    }
  }

  /** At most {@code limit} bytes of {@code p}, decoded as UTF-8 with a cut character replaced. */
  private static String readAll(Path p, long limit) {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read project doc " + p + ": " + e.getMessage(), e);
    }
  }
}
