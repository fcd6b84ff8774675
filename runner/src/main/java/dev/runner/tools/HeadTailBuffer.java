package dev.runner.tools;

import java.io.ByteArrayOutputStream;

/**
 * Keeps the first {@code headCapacity} and the last {@code tailCapacity} bytes of a stream and
 * counts the rest, so a command that prints gigabytes costs a fixed amount of memory. Thread-safe:
 * one thread writes while another may take a {@link #snapshot()}.
 */
final class HeadTailBuffer {
  private static final int FIRST_CHUNK = 512;
  private static final byte[] NONE = new byte[0];

  private final int headCapacity;
  private final int tailCapacity;
  /** Grows up to {@code headCapacity}: most commands print a line or two, the budget is tens of kilobytes. */
  private byte[] head = NONE;
  /** Allocated whole by the first byte past the head. */
  private byte[] tail = NONE;
  private int headSize;
  private int tailStart;
  private int tailSize;
  private long totalBytes;
  private long newlines;
  private byte lastByte;

  HeadTailBuffer(int headCapacity, int tailCapacity) {
    this.headCapacity = headCapacity;
    this.tailCapacity = tailCapacity;
  }

  synchronized void write(byte[] bytes, int offset, int length) {
    reserve(length);
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        newlines++;
      }
      if (headSize < head.length) {
        head[headSize++] = b;
      } else if (tail.length > 0) {
        if (tailSize < tail.length) {
          tail[(tailStart + tailSize++) % tail.length] = b;
        } else {
          tail[tailStart] = b;
          tailStart = (tailStart + 1) % tail.length;
        }
      }
    }
    totalBytes += length;
    if (length > 0) {
      lastByte = bytes[offset + length - 1];
    }
  }

  /** Makes room for {@code length} more bytes in the head, and the tail once the head is full. */
  private void reserve(int length) {
    long wanted = Math.min(headCapacity, (long) headSize + length);
    if (wanted > head.length) {
      long grown = Math.max(wanted, Math.max(FIRST_CHUNK, 2L * head.length));
      head = java.util.Arrays.copyOf(head, (int) Math.min(headCapacity, grown));
    }
    if (headSize + (long) length > headCapacity && tail.length < tailCapacity) {
      tail = new byte[tailCapacity];
    }
  }

  synchronized Snapshot snapshot() {
    byte[] headCopy = java.util.Arrays.copyOf(head, headSize);
    ByteArrayOutputStream tailCopy = new ByteArrayOutputStream(tailSize);
    for (int i = 0; i < tailSize; i++) {
      tailCopy.write(tail[(tailStart + i) % tail.length]);
    }
    long lines = newlines + (totalBytes > 0 && lastByte != '\n' ? 1 : 0);
    return new Snapshot(headCopy, tailCopy.toByteArray(), totalBytes, lines);
  }

  /**
   * What was kept.
   *
   * @param head the first bytes
   * @param tail the last bytes, contiguous with {@code head} when nothing was dropped
   * @param totalBytes every byte written
   * @param totalLines lines written, counting a last line without a newline
   */
  record Snapshot(byte[] head, byte[] tail, long totalBytes, long totalLines) {
    long droppedBytes() {
      return totalBytes - head.length - tail.length;
    }
  }
}
