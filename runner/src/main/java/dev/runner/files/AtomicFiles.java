package dev.runner.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes a file so readers see the old or the new content, never a half-written one: a temporary
 * file in the same directory, then an atomic rename over the target. Keeps the permissions of a
 * file it replaces (an executable script stays executable); a new file gets ordinary 0644 permissions. Used for
 * patched files, {@code -o} and {@code --metrics}.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** @throws IOException when the folder cannot be created or the file written; the target is then unchanged */
  public static void write(Path target, String content) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Set<PosixFilePermission> permissions = Files.isRegularFile(target) ? Files.getPosixFilePermissions(target) : null;
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      if (permissions != null) {
        Files.setPosixFilePermissions(temp, permissions);
      } else {
        // createTempFile makes the file owner-only; a new file gets ordinary permissions
        Files.setPosixFilePermissions(
            temp,
            Set.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ));
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
