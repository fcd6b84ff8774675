package dev.runner.tools;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Fuzzes the apply_patch parser: any text is a patch or a {@link PatchParser.PatchException}, nothing else. */
class PatchParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyTextParsesOrIsRefused(byte[] input) {
    try {
      PatchParser.parse(new String(input, StandardCharsets.UTF_8));
    } catch (PatchParser.PatchException e) {
      // a refusal the model reads
    }
  }
}
