package dev.runner.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TruncationTest {
  @Test
  void outputWithinTheBudgetIsKeptWhole() {
    Truncation.Cut cut = Truncation.cut("a\nb\nc", 2);

    assertThat(cut).isEqualTo(new Truncation.Cut("a\nb\nc", false, 3));
  }

  @Test
  void longOutputKeepsHalfTheBudgetFromEachEnd() {
    String text = "0123456789".repeat(10);

    Truncation.Cut cut = Truncation.cut(text, 5);

    // 20 bytes kept, 80 removed = 20 tokens
    assertThat(cut.text()).isEqualTo("0123456789…20 tokens truncated…0123456789");
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.totalLines()).isEqualTo(1);
  }

  @Test
  void cutsNeverSplitACharacter() {
    // budget 4 bytes: the 2-byte head and tail each end inside a two-byte "é"
    String text = "aé" + "x".repeat(20) + "éb";

    Truncation.Cut cut = Truncation.cut(text, 1);

    // 26 bytes, 1 kept at each end: 24 removed = 6 tokens
    assertThat(cut.text()).isEqualTo("a…6 tokens truncated…b");
  }

  @Test
  void theBufferCountsLinesAndBytesItDropped() {
    HeadTailBuffer buffer = new HeadTailBuffer(4, 4);
    byte[] data = "line1\nline2\nline3\nend".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < data.length; i++) {
      buffer.write(data, i, 1);
    }

    HeadTailBuffer.Snapshot snapshot = buffer.snapshot();

    assertThat(new String(snapshot.head(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("line");
    assertThat(new String(snapshot.tail(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("\nend");
    assertThat(snapshot.totalBytes()).isEqualTo(data.length);
    assertThat(snapshot.droppedBytes()).isEqualTo(data.length - 8);
    assertThat(snapshot.totalLines()).isEqualTo(4);
  }

  @Test
  void aLargeBufferGrowsAcrossWritesOfEverySizeAndKeepsBothEnds() {
    HeadTailBuffer buffer = new HeadTailBuffer(3000, 1000);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    int n = 0;
    for (int size : new int[]{1, 7, 500, 1, 2000, 3, 1500, 600}) {
      byte[] chunk = new byte[size];
      for (int i = 0; i < size; i++) {
        chunk[i] = (byte) ('a' + n++ % 26);
      }
      buffer.write(chunk, 0, size);
      all.writeBytes(chunk);
    }
    byte[] written = all.toByteArray();

    HeadTailBuffer.Snapshot snapshot = buffer.snapshot();

    assertThat(snapshot.head()).isEqualTo(java.util.Arrays.copyOf(written, 3000));
    assertThat(snapshot.tail())
        .isEqualTo(java.util.Arrays.copyOfRange(written, written.length - 1000, written.length));
    assertThat(snapshot.totalBytes()).isEqualTo(written.length);
  }

  @Test
  void shortOutputNeedsNoTail() {
    HeadTailBuffer buffer = new HeadTailBuffer(10, 10);
    buffer.write("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 10);

    HeadTailBuffer.Snapshot snapshot = buffer.snapshot();

    assertThat(snapshot.head()).hasSize(10);
    assertThat(snapshot.tail()).isEmpty();
    assertThat(snapshot.droppedBytes()).isZero();
  }
}
