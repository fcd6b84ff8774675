package dev.runner.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;

/**
 * Temporary files and folders in the folder {@code TMPDIR} names. {@code Main} copies {@code TMPDIR} into {@code
 * java.io.tmpdir}, but {@link Files#createTempDirectory(String, FileAttribute[])} and {@link
 * Files#createTempFile(String, String, FileAttribute[])} read that property once, when the JVM starts, so they would
 * still write to {@code /tmp}: these name the folder on every call.
 */
public final class TempFolders {
  private TempFolders() {}

  /** The folder for temporary files: {@code java.io.tmpdir} as it is now. */
  public static Path root() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** A new folder in {@link #root()} whose name starts with {@code prefix}. */
  public static Path createDirectory(String prefix, FileAttribute<?>... attributes) throws IOException {
    return Files.createTempDirectory(root(), prefix, attributes);
  }

  /** A new file in {@link #root()}. */
  public static Path createFile(String prefix, String suffix) throws IOException {
    return Files.createTempFile(root(), prefix, suffix);
  }
}
