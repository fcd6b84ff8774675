package dev.runner.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code bwrap} that fails at once, as bubblewrap does where user namespaces are not allowed. */
public final class RefusingBwrap {
  /** What it prints on stderr before it exits with status 1. */
  public static final String MESSAGE = "bwrap: No permissions to creating new namespace";

  private RefusingBwrap() {}

  /** Writes it into {@code dir}/bin and returns that folder, to put first on a {@code PATH}. */
  public static Path install(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(bwrap, "#!/bin/sh\necho '" + MESSAGE + "' >&2\nexit 1\n");
    if (!bwrap.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + bwrap + " executable");
    }
    return bin;
  }
}
