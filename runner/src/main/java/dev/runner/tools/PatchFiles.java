package dev.runner.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The workspace as an open directory through which apply_patch reads and writes without following
 * symbolic links. Every operation starts at the root's open handle and opens one name at a time
 * relative to the directory opened before it ({@code openat} with {@code O_NOFOLLOW}, {@code
 * unlinkat}, {@code renameat}), so a directory swapped for a link by a concurrent command makes the
 * operation fail instead of reaching outside; nothing is checked by path and used later.
 *
 * <p>Files are replaced, never written in place: new content goes to a fresh file created
 * exclusively next to the target, then is renamed over it. A hard link to a file elsewhere is
 * therefore replaced, not written through.
 *
 * <p>Directories are made in the root, under a random name, and renamed from the root's handle into
 * place: Java has no {@code mkdirat}, and the root's own path is the one path a sandboxed command
 * cannot change (its directories lie outside the writable workspace). Were it changed anyway (no
 * sandbox), the rename would find nothing and fail, leaving at most an empty directory where the
 * path led. The new directory is then opened with {@code O_NOFOLLOW} like any other.
 *
 * <p>Not thread-safe; one instance serves one patch and must be closed.
 */
final class PatchFiles implements AutoCloseable {
  /** What a name in a directory is, not following links. */
  enum Kind {
    MISSING,
    FILE,
    DIRECTORY,
    LINK,
    OTHER
  }

  /**
   * A file's bytes and permissions, as read before it is replaced.
   *
   * @param bytes the whole content
   * @param permissions its mode bits
   */
  record Content(byte[] bytes, Set<PosixFilePermission> permissions) {
    Content {
      permissions = Set.copyOf(permissions);
    }
  }

  /** Permissions of a file the patch adds: ordinary 0644, whatever the umask. */
  static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

  /** Larger files are refused: a patch edits source, and a device or huge file must not fill the heap. */
  static final int MAX_BYTES = 64 * 1024 * 1024;

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path root;
  private final SecureDirectoryStream<Path> rootDir;

  private PatchFiles(Path root, SecureDirectoryStream<Path> rootDir) {
    this.root = root;
    this.rootDir = rootDir;
  }

  /**
   * Opens the workspace root.
   *
   * @throws IOException when it cannot be opened, or the platform offers no {@link
   *     SecureDirectoryStream} (then apply_patch cannot write without a check-then-use gap)
   */
  static PatchFiles open(Path workspace) throws IOException {
    Path real = workspace.toRealPath();
    DirectoryStream<Path> stream = Files.newDirectoryStream(real);
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return new PatchFiles(real, secure);
    }
    stream.close();
    throw new IOException(
        "this platform's file system gives no directory-relative access (SecureDirectoryStream),"
            + " which apply_patch needs to write without following links; edit files with the"
            + " shell tool instead");
  }

  /** The workspace root's real path. */
  Path root() {
    return root;
  }

  /**
   * What {@code name} in the directory {@code dirs} is; {@link Kind#MISSING} when it or a
   * directory on the way does not exist.
   *
   * @throws IOException when a directory on the way is not one (e.g. a link)
   */
  Kind kind(List<String> dirs, String name) throws IOException {
    try {
      return inDirectory(PatchPath.of(dirs, name), null, (dir, n) -> kindOf(attributes(dir, n)));
    } catch (NoSuchFileException e) {
      return Kind.MISSING;
    }
  }

  /**
   * The target of the link {@code name} in {@code dirs}. Read by path, so a concurrent swap can
   * make it read another link: callers treat the result as a path to walk from the root again, never
   * as a place to write.
   */
  String readLink(List<String> dirs, String name) throws IOException {
    Path at = root;
    for (String dir : dirs) {
      at = at.resolve(dir);
    }
    return Files.readSymbolicLink(at.resolve(name)).toString();
  }

  /**
   * The content of a regular file; empty when it does not exist.
   *
   * @throws IOException when it is a directory, a link or a special file, or larger than {@link
   *     #MAX_BYTES}
   */
  Optional<Content> read(PatchPath path) throws IOException {
    try {
      return Optional.of(inDirectory(path, null, (dir, name) -> {
        PosixFileAttributes attributes = attributes(dir, name);
        requireFile(attributes, path);
        if (attributes.size() > MAX_BYTES) {
          throw new FileSystemException(
              path.toString(), null, "'" + path + "' is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        try (SeekableByteChannel channel = dir.newByteChannel(
            name, Set.of(StandardOpenOption.READ, NOFOLLOW))) {
          return new Content(readAll(channel, path), attributes.permissions());
        }
      }));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Replaces (or creates) the file at {@code path} with {@code bytes}, creating missing
   * directories; each directory created is appended to {@code created}, also when the write then
   * fails, so the caller can remove it.
   */
  void write(PatchPath path, byte[] bytes, Set<PosixFilePermission> permissions,
      List<PatchPath> created) throws IOException {
    inDirectory(path, created, (dir, name) -> {
      Path temp = Path.of(tempName(name.toString()));
      boolean moved = false;
      try {
        try (SeekableByteChannel channel = dir.newByteChannel(
            temp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW),
            PosixFilePermissions.asFileAttribute(permissions))) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        }
        // the mode given at creation went through the umask
        dir.getFileAttributeView(temp, PosixFileAttributeView.class, NOFOLLOW)
            .setPermissions(permissions);
        // rename(2) replaces a link itself, never its target, and fails on a directory
        dir.move(temp, dir, name);
        moved = true;
      } finally {
        if (!moved) {
          deleteQuietly(dir, temp);
        }
      }
      return null;
    });
  }

  /** Removes the file or link at {@code path} (never a directory). */
  void delete(PatchPath path) throws IOException {
    inDirectory(path, null, (dir, name) -> {
      dir.deleteFile(name);
      return null;
    });
  }

  /** Removes the empty directory at {@code path}. */
  void deleteDirectory(PatchPath path) throws IOException {
    inDirectory(path, null, (dir, name) -> {
      dir.deleteDirectory(name);
      return null;
    });
  }

  @Override
  public void close() throws IOException {
    rootDir.close();
  }

  /** An action on one name inside an open directory. */
  private interface InDirectory<T> {
    T apply(SecureDirectoryStream<Path> dir, Path name) throws IOException;
  }

  /**
   * Opens the directories of {@code path} one by one from the root without following links, then
   * runs {@code action} on its last name. Creates missing directories when {@code created} is not
   * null.
   */
  private <T> T inDirectory(PatchPath path, List<PatchPath> created, InDirectory<T> action)
      throws IOException {
    List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
    try {
      SecureDirectoryStream<Path> dir = rootDir;
      List<String> dirs = path.directories();
      for (int i = 0; i < dirs.size(); i++) {
        dir = openDirectory(dir, new PatchPath(dirs.subList(0, i + 1)), created);
        opened.add(dir);
      }
      return action.apply(dir, Path.of(path.name()));
    } finally {
      for (int i = opened.size() - 1; i >= 0; i--) {
        opened.get(i).close();
      }
    }
  }

  private SecureDirectoryStream<Path> openDirectory(
      SecureDirectoryStream<Path> parent, PatchPath path, List<PatchPath> created)
      throws IOException {
    Path name = Path.of(path.name());
    try {
      return parent.newDirectoryStream(name, NOFOLLOW);
    } catch (NoSuchFileException e) {
      if (created == null) {
        throw e;
      }
    } catch (NotDirectoryException e) {
      throw new NotDirectoryException(path.toString());
    } catch (FileSystemException e) {
      // O_NOFOLLOW on a link fails with ELOOP; say what it was
      if (kindOf(attributes(parent, name)) == Kind.LINK) {
        throw new FileSystemException(
            path.toString(),
            null,
            "'" + path + "' is a symbolic link; apply_patch does not write through links");
      }
      throw e;
    }
    createDirectory(parent, name);
    created.add(path);
    return parent.newDirectoryStream(name, NOFOLLOW);
  }

  private void createDirectory(SecureDirectoryStream<Path> parent, Path name) throws IOException {
    Path staged = Path.of(tempName("dir"));
    Files.createDirectory(root.resolve(staged));
    try {
      rootDir.move(staged, parent, name);
    } catch (IOException e) {
      try {
        rootDir.deleteDirectory(staged);
      } catch (IOException ignored) {
        // already gone or replaced: nothing of ours to remove
      }
      throw e;
    }
  }

  private static String tempName(String name) {
    String base = name.length() > 200 ? name.substring(0, 200) : name;
    return ".apply_patch." + base + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  private static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name)
      throws IOException {
    return dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
  }

  private static Kind kindOf(PosixFileAttributes attributes) {
    if (attributes.isSymbolicLink()) {
      return Kind.LINK;
    }
    if (attributes.isDirectory()) {
      return Kind.DIRECTORY;
    }
    return attributes.isRegularFile() ? Kind.FILE : Kind.OTHER;
  }

  private static void requireFile(PosixFileAttributes attributes, PatchPath path)
      throws IOException {
    String what = switch (kindOf(attributes)) {
      case FILE -> null;
      case DIRECTORY -> "is a directory";
      case LINK -> "is a symbolic link; apply_patch does not write through links";
      default -> "is not a regular file";
    };
    if (what != null) {
      throw new FileSystemException(path.toString(), null, "'" + path + "' " + what);
    }
  }

  private static byte[] readAll(SeekableByteChannel channel, PatchPath path) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), MAX_BYTES) + 1);
    while (channel.read(buffer) > 0) {
      if (!buffer.hasRemaining()) {
        if (buffer.capacity() > MAX_BYTES) {
          throw new FileSystemException(
              path.toString(), null, "'" + path + "' is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        ByteBuffer larger = ByteBuffer.allocate(Math.min(buffer.capacity() * 2, MAX_BYTES + 1));
        buffer.flip();
        larger.put(buffer);
        buffer = larger;
      }
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) {
    try {
      dir.deleteFile(name);
    } catch (IOException ignored) {
      // the temporary file was never created or is gone already
    }
  }

  /** Why an operation failed, in a few words for the model. */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof NotDirectoryException) {
      return "'" + ((NotDirectoryException) e).getFile() + "' is not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
