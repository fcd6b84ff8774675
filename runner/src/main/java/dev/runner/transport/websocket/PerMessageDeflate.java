package dev.runner.transport.websocket;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) for one socket, on {@link Inflater}/{@link Deflater} directly. Netty's own codec
 * runs every message through an embedded channel of handlers; on a cold JVM that machinery cost more than the
 * inflating itself (a fifth of the Netty thread's per-turn CPU), while this is a few calls into zlib per message.
 *
 * <p>Inflating happens on the socket's event-loop thread, deflating under {@link WsConnection#send}'s lock: each
 * direction has one thread at a time, as zlib's shared context across messages requires. The zlib streams are
 * released by their cleaners when the connection is dropped; ending them on close could race the event loop.
 */
final class PerMessageDeflate {
  static final String EXTENSION = "permessage-deflate";
  /** RSV1 marks a compressed message (RFC 7692 section 6). */
  static final int RSV1 = 0x4;
  /** What a sync flush ends with: the sender strips it, the receiver appends it again (RFC 7692 7.2.1-2). */
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
  private static final int MAX_WINDOW_BITS = 15;

  private final Inflater inflater = new Inflater(true);
  /**
   * Null when the server limited the client's window below what {@link Deflater} supports: messages then go out plain.
   * (Netty's handshaker, configured as Reactor Netty does it, refuses such an answer before this codec is made; the
   * parameters are read anyway, as RFC 7692 defines them.)
   */
  private final Deflater deflater;
  private final boolean deflaterForgets;
  private final int maxMessageBytes;
  private byte[] input = new byte[4 * 1024];
  private byte[] inflated = new byte[16 * 1024];
  private byte[] deflated = new byte[4 * 1024];

  private PerMessageDeflate(boolean compressOutbound, boolean deflaterForgets, int maxMessageBytes) {
    // level 1: the frames are small and mostly what the shared window already holds; zlib's default level 6 took
    // 2.2x the CPU on the session thread for 9 % fewer bytes (tools:40: 4.3 vs 4.0 KB sent, codex sends 40 KB)
    this.deflater = compressOutbound ? new Deflater(Deflater.BEST_SPEED, true) : null;
    this.deflaterForgets = deflaterForgets;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * The codec the server accepted in its {@code Sec-WebSocket-Extensions} answer, or null when it chose none or another
   * extension (then Netty's handlers, if any, stay in charge).
   */
  static PerMessageDeflate negotiated(String extensionsHeader, int maxMessageBytes) {
    if (extensionsHeader == null) {
      return null;
    }
    for (String extension : extensionsHeader.split(",")) {
      String[] parts = extension.split(";");
      if (!parts[0].trim().equalsIgnoreCase(EXTENSION)) {
        continue;
      }
      boolean compressOutbound = true;
      boolean forgets = false;
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].trim().split("=", 2);
        String name = kv[0].trim().toLowerCase(Locale.ROOT);
        if (name.equals("client_no_context_takeover")) {
          forgets = true;
        } else if (name.equals("client_max_window_bits") && kv.length == 2) {
          // java.util.zip always deflates with a 32 KiB window; a smaller one forbids compressing, not sending
          compressOutbound = windowBits(kv[1]) >= MAX_WINDOW_BITS;
        }
      }
      return new PerMessageDeflate(compressOutbound, forgets, maxMessageBytes);
    }
    return null;
  }

  private static int windowBits(String value) {
    try {
      return Integer.parseInt(value.trim().replace("\"", ""));
    } catch (NumberFormatException e) {
      return 0; // unreadable: the safe reading is "smaller than ours"
    }
  }

  boolean compressesOutbound() {
    return deflater != null;
  }

  /**
   * The message a compressed frame's payload carries. The server may or may not keep its context between messages;
   * keeping ours decodes both, and a stream the server ended (a final block) starts afresh with the next message.
   *
   * @throws DataFormatException for a payload that is not deflate data, or one that inflates past the size limit
   */
  byte[] inflate(ByteBuf payload) throws DataFormatException {
    int n = payload.readableBytes();
    if (input.length < n + TAIL.length) {
      input = new byte[Math.max(n + TAIL.length, input.length * 2)];
    }
    payload.getBytes(payload.readerIndex(), input, 0, n);
    System.arraycopy(TAIL, 0, input, n, TAIL.length);
    inflater.setInput(input, 0, n + TAIL.length);
    int length = 0;
    while (true) {
      if (length == inflated.length) {
        if (length >= maxMessageBytes) {
          if (inflater.inflate(new byte[1]) > 0) {
            inflater.reset(); // the connection is failed by the caller; no later message depends on this context
            throw new DataFormatException("a compressed message inflates past " + maxMessageBytes + " bytes");
          }
          if (inflater.finished()) {
            inflater.reset();
          }
          break; // exactly the limit, as an uncompressed message may be
        }
        inflated = Arrays.copyOf(inflated, (int) Math.min((long) length * 2, maxMessageBytes));
      }
      int got = inflater.inflate(inflated, length, inflated.length - length);
      length += got;
      if (inflater.finished()) {
        inflater.reset();
        break;
      }
      if (got == 0 && length < inflated.length) {
        if (inflater.needsInput()) {
          break;
        }
        throw new DataFormatException("a compressed message asks for a preset dictionary");
      }
    }
    return Arrays.copyOf(inflated, length);
  }

  /** The payload of a compressed frame carrying {@code message}: deflated with a sync flush, its tail removed. */
  byte[] deflate(byte[] message) {
    deflater.setInput(message);
    int length = 0;
    while (true) {
      length += deflater.deflate(deflated, length, deflated.length - length, Deflater.SYNC_FLUSH);
      if (length < deflated.length) {
        break; // a sync flush that did not fill the buffer has written everything
      }
      deflated = Arrays.copyOf(deflated, deflated.length * 2);
    }
    if (deflaterForgets) {
      deflater.reset();
    }
    return Arrays.copyOf(deflated, length - TAIL.length);
  }
}
