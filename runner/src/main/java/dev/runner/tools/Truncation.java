package dev.runner.tools;

import java.nio.charset.StandardCharsets;

/**
 * Cuts tool output to the model's budget the way codex does: about 4 bytes a token, half of the
 * budget from the head and half from the tail, joined by {@code …N tokens truncated…}.
 */
final class Truncation {
  static final int BYTES_PER_TOKEN = 4;

  private Truncation() {}

  /** A buffer sized so that output within {@code tokenLimit} is kept whole. */
  static HeadTailBuffer bufferFor(int tokenLimit) {
    long budget = (long) tokenLimit * BYTES_PER_TOKEN;
    int half = (int) Math.min(Integer.MAX_VALUE / 2, budget / 2);
    return new HeadTailBuffer(half, (int) Math.min(Integer.MAX_VALUE / 2, budget - half));
  }

  /**
   * The text to show and whether anything was cut. Cuts never split a UTF-8 character: partial
   * characters at the edges count as removed.
   */
  static Cut cut(HeadTailBuffer.Snapshot snapshot) {
    if (snapshot.droppedBytes() == 0) {
      byte[] all = new byte[snapshot.head().length + snapshot.tail().length];
      System.arraycopy(snapshot.head(), 0, all, 0, snapshot.head().length);
      System.arraycopy(snapshot.tail(), 0, all, snapshot.head().length, snapshot.tail().length);
      return new Cut(new String(all, StandardCharsets.UTF_8), false, snapshot.totalLines());
    }
    byte[] head = snapshot.head();
    int headEnd = head.length;
    // back off to a character start so the head never ends mid-character
    while (headEnd > 0 && isContinuation(head, headEnd)) {
      headEnd--;
    }
    byte[] tail = snapshot.tail();
    int tailStart = 0;
    while (tailStart < tail.length && (tail[tailStart] & 0xC0) == 0x80) {
      tailStart++;
    }
    long removed = snapshot.droppedBytes() + (head.length - headEnd) + tailStart;
    long tokens = (removed + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
    String text = new String(head, 0, headEnd, StandardCharsets.UTF_8)
        + "…"
        + tokens
        + " tokens truncated…"
        + new String(tail, tailStart, tail.length - tailStart, StandardCharsets.UTF_8);
    return new Cut(text, true, snapshot.totalLines());
  }

  /** Cuts a string already in memory. */
  static Cut cut(String text, int tokenLimit) {
    HeadTailBuffer buffer = bufferFor(tokenLimit);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.write(bytes, 0, bytes.length);
    return cut(buffer.snapshot());
  }

  /** True when the byte at {@code end} would continue a character begun before it. */
  private static boolean isContinuation(byte[] bytes, int end) {
    // walk back to the lead byte of the last character and check it is complete
    int i = end - 1;
    while (i >= 0 && (bytes[i] & 0xC0) == 0x80) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    int lead = bytes[i] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return end - i < needed;
  }

  /**
   * A cut text.
   *
   * @param text what the model sees
   * @param truncated true when bytes were removed
   * @param totalLines the number of lines before cutting
   */
  record Cut(String text, boolean truncated, long totalLines) {}
}
