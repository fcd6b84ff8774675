package dev.runner.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The runner's system instructions, kept as a resource so they read as prose and diff as text. */
public final class Instructions {
  private Instructions() {}

  public static String standard() {
    try (InputStream in = Instructions.class.getResourceAsStream("instructions.md")) {
      if (in == null) {
        throw new IllegalStateException("instructions.md is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
