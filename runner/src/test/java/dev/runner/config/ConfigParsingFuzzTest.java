package dev.runner.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.runner.RunnerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes config.toml parsing and {@code -c key=value} overrides: any text is read or refused with a
 * {@link RunnerException} (a config or usage error naming where), nothing else.
 */
class ConfigParsingFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void configFileAndOverrides(FuzzedDataProvider data) {
    List<String> overrides = new ArrayList<>();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      overrides.add(data.consumeString(80));
    }
    String toml = data.consumeRemainingAsString();
    try {
      ConfigFile.parse(Path.of("fuzz.toml"), toml, Toml.MAPPER);
    } catch (RunnerException e) {
      // invalid TOML, reported with file, line and column
    }
    try {
      Overrides.parse(overrides, Toml.MAPPER);
    } catch (RunnerException e) {
      // an override without '=' or with an empty key part
    }
  }
}
