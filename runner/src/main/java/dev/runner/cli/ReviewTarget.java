package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.files.Git;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code exec review} reviews, as codex's review chooses it: the uncommitted changes (the default), the changes
 * since the merge base with {@code --base BRANCH}, or one {@code --commit SHA}; and the built-in prompt that tells the
 * model how to look at them. The model reads the diff itself with the git command the prompt names, through its shell
 * tool, so a large change costs only what the model reads of it.
 */
record ReviewTarget(String description, String gitCommand) {
  /** Resource name of the default findings schema (a copy of {@code schemas/review-findings.schema.json}). */
  static final String SCHEMA_RESOURCE = "review-findings.schema.json";

  /** The target the flags name; at most one of {@code --uncommitted}, {@code --base}, {@code --commit}. */
  static ReviewTarget of(boolean uncommitted, String base, String commit, String title, Path workspace) {
    int given = (uncommitted ? 1 : 0) + (base != null ? 1 : 0) + (commit != null ? 1 : 0);
    if (given > 1) {
      throw RunnerException.usage("review takes one of --uncommitted, --base and --commit",
          "pick the changes to review: the working tree, a branch's changes, or a commit");
    }
    if (base != null) {
      String mergeBase = git(workspace, "merge-base", "HEAD", base).strip();
      return new ReviewTarget("the changes on the current branch since it left " + base + " (merge base "
          + mergeBase + ")", "git diff " + mergeBase);
    }
    if (commit != null) {
      String sha = git(workspace, "rev-parse", "--verify", commit + "^{commit}").strip();
      return new ReviewTarget("the changes of commit " + sha + (title == null ? "" : " (\"" + title + "\")"),
          "git show " + sha);
    }
    return new ReviewTarget("the uncommitted changes: staged, unstaged and untracked files",
        "git status --porcelain, git diff HEAD, and reading the untracked files");
  }

  /** The task for the model: the built-in review prompt, then the user's own instructions when given. */
  String prompt(String extra) {
    StringBuilder p = new StringBuilder();
    p.append("You are reviewing a code change. Review ").append(description).append(".\n")
        .append("Read the change with: ").append(gitCommand).append(". Open the surrounding code when a hunk alone"
            + " does not show whether it is right.\n\n")
        .append("Report only problems the change itself introduces and that its author would want fixed: bugs,"
            + " broken edge cases, security holes, races, resource leaks, wrong error handling, missing tests for"
            + " new behaviour. Leave out style preferences, problems that were there before, and guesses you cannot"
            + " tie to a line.\n\n")
        .append("For each finding give a short imperative title, a body that says in which case it fails and why,"
            + " a priority (0 must fix before merging, 1 should fix, 2 worth fixing, 3 nice to have), your"
            + " confidence between 0 and 1, and the absolute path and line range it is about, kept as short as"
            + " possible and inside the changed lines. Order findings from the most to the least important.\n\n")
        .append("Then say whether the change is correct as a whole (\"patch is correct\" or \"patch is"
            + " incorrect\"), why in one to three sentences, and how confident you are. A change with only"
            + " priority 3 findings is correct.\n\n")
        .append("Change nothing in the repository: this is a review.");
    if (extra != null && !extra.isBlank()) {
      p.append("\n\nFurther instructions for this review:\n").append(extra.strip());
    }
    return p.toString();
  }

  /** Writes the default findings schema to a file in {@code dir}, for {@code OutputSchema.load}. */
  static Path writeDefaultSchema(Path dir) {
    try (InputStream in = ReviewTarget.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the jar");
      }
      Path file = dir.resolve(SCHEMA_RESOURCE);
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the review schema to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String git(Path workspace, String... args) {
    try {
      return new Git(Map.of()).text(workspace, args);
    } catch (IOException e) {
      throw RunnerException.usage(e.getMessage() + " (in " + workspace + ")",
          "pass a branch or commit that exists in this repository (review needs git to find the changes)");
    }
  }

}
