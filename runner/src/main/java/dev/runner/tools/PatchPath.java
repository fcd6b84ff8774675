package dev.runner.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * A path inside the workspace as its names from the workspace root, with no {@code .}, {@code ..}
 * or empty name: what {@link WorkspacePaths} makes of a path the model sent, and what {@link
 * PatchFiles} walks one name at a time.
 *
 * @param names the names from the root, at least one
 */
record PatchPath(List<String> names) {
  PatchPath {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a workspace path needs at least one name");
    }
  }

  /** {@code dirs} followed by {@code name}. */
  static PatchPath of(List<String> dirs, String name) {
    List<String> all = new ArrayList<>(dirs);
    all.add(name);
    return new PatchPath(all);
  }

  /** The last name. */
  String name() {
    return names.get(names.size() - 1);
  }

  /** The names of the directories that hold it, from the root; empty for a top-level entry. */
  List<String> directories() {
    return names.subList(0, names.size() - 1);
  }

  /** The path with {@code /} between names, as the model and the report spell it. */
  @Override
  public String toString() {
    return String.join("/", names);
  }
}
