package dev.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.ExitCode;
import dev.runner.RunnerException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A prompt that is not text is refused with a usage error that says so; text of any script passes. */
class NonTextPromptTest {
  @Test
  void nulBytesAreRefusedWithTheirOffset() {
    byte[] binary = new byte[20 * 1024];
    binary[0] = 'a';
    assertThatThrownBy(() -> PromptReader.text(binary)).isInstanceOf(RunnerException.class)
        .hasMessageContaining("stdin is not text").hasMessageContaining("NUL byte at offset 1")
        .satisfies(e -> assertThat(((RunnerException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @Test
  void invalidUtf8IsRefused() {
    assertThatThrownBy(() -> PromptReader.text(new byte[]{'h', 'i', (byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(RunnerException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void utf8TextPasses() {
    String text = "fix the tests: naïve → 完成 ✓\n";
    assertThat(PromptReader.text(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
  }
}
