package dev.runner.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Reads a file or folder option as {@link Path#of}. Picocli's own converter for {@code Path} calls {@code Paths.get}
 * by reflection (it supports Java 5), and the first reflective call of a run spins a method-handle class on the
 * start-up path.
 */
final class PathConverter implements CommandLine.ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a usable path (" + e.getReason() + ")");
    }
  }
}
