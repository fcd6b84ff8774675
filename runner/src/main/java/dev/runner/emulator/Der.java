package dev.runner.emulator;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings (ITU-T X.690) a self-signed X.509 certificate needs. Each method returns one complete
 * tag-length-value, so a structure is written the way the ASN.1 reads.
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private Der() {}

  static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  static byte[] utf8String(String text) {
    return tlv(0x0C, text.getBytes(StandardCharsets.UTF_8));
  }

  /** UTCTime, valid for years 1950 to 2049 (RFC 5280 section 4.1.2.5.1). */
  static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] octetString(byte[] content) {
    return tlv(0x04, content);
  }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bitString(byte[] content) {
    byte[] withPadCount = new byte[content.length + 1];
    System.arraycopy(content, 0, withPadCount, 1, content.length);
    return tlv(0x03, withPadCount);
  }

  static byte[] objectIdentifier(int... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, 40L * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      base128(out, arcs[i]);
    }
    return tlv(0x06, out.toByteArray());
  }

  /** {@code [tag] EXPLICIT}: a constructed context-specific wrapper around a complete encoding. */
  static byte[] explicit(int tag, byte[] encoding) {
    return tlv(0xA0 | tag, encoding);
  }

  /** {@code [tag] IMPLICIT} over a primitive value (a GeneralName's dNSName or iPAddress). */
  static byte[] implicitPrimitive(int tag, byte[] value) {
    return tlv(0x80 | tag, value);
  }

  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7F);
      out.write(i == 0 ? group : group | 0x80);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
