package dev.runner.schema;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.runner.RunnerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@code --output-schema} loading (read, meta-schema check, compile, strict normalization): any file is a
 * schema or a {@link RunnerException} naming the file, nothing else.
 */
class SchemaLoadingFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyFileLoadsOrIsRefused(byte[] input) {
    Path file;
    try {
      file = Files.createTempFile("fuzz-schema", ".json");
      Files.write(file, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      OutputSchema.load(file);
    } catch (RunnerException e) {
      // not a usable schema: a usage error naming the file
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
