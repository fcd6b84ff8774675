package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scratch folders for sandbox tests that must lie outside {@code /tmp}: the sandbox replaces {@code /tmp} with a
 * private tmpfs, so a planted file or socket under it would be out of reach for a reason that is not the one tested.
 * Under the module's {@code target} folder, unless the checkout itself lies under {@code /tmp} (a clone made in a
 * temporary folder), then under {@code /var/tmp}, which the sandbox leaves in place.
 */
final class OutsideTmp {
  private OutsideTmp() {}

  /** A new folder named {@code prefix...}; {@link #removeAll()} removes it with the others. */
  static Path newFolder(String area, String prefix) throws IOException {
    Path base = root().resolve(area);
    Path folder = Files.createTempDirectory(Files.createDirectories(base), prefix).toRealPath();
    if (folder.startsWith("/tmp")) {
      throw new IllegalStateException("scratch folder " + folder + " must lie outside /tmp");
    }
    return folder;
  }

  /** Removes every folder {@link #newFolder} made in this JVM (under {@code target} they may stay, as before). */
  static void removeAll() throws IOException {
    Path root = root();
    if (root.startsWith("/var/tmp") && Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path root() throws IOException {
    Path target = Files.createDirectories(Path.of("target")).toAbsolutePath().toRealPath();
    return target.startsWith("/tmp") ? Path.of("/var/tmp", "runner-tests-" + ProcessHandle.current().pid()) : target;
  }
}
