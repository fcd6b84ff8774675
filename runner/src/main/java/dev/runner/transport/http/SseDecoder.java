package dev.runner.transport.http;

import dev.runner.transport.TransportFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Server-sent events from bytes, apart from any IO: feed chunks as they arrive, get back the {@code data} payload of
 * every completed event. Lines end with CRLF, LF or CR (a CRLF split across chunks counts once); lines starting with
 * {@code :} are comments; several {@code data} lines join with {@code \n}; other fields are ignored. Splitting on
 * bytes is safe for UTF-8 because CR and LF never occur inside a multi-byte sequence. An event still open at EOF is
 * dropped, as the SSE spec says; the caller sees EOF before a terminal event as a broken stream.
 */
final class SseDecoder {
  // the same bound as a WebSocket frame, so one event is accepted or refused alike on both wires
  static final int DEFAULT_MAX_LINE = dev.runner.protocol.Json.MAX_DOCUMENT_BYTES;
  static final int DEFAULT_MAX_EVENT = dev.runner.protocol.Json.MAX_DOCUMENT_BYTES;

  private final int maxLine;
  private final int maxEvent;
  private byte[] line = new byte[256];
  private int lineLength;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean lastWasCr;

  SseDecoder(int maxLine, int maxEvent) {
    this.maxLine = maxLine;
    this.maxEvent = maxEvent;
  }

  SseDecoder() {
    this(DEFAULT_MAX_LINE, DEFAULT_MAX_EVENT);
  }

  /**
   * @return the data of each event completed by this chunk, in order
   * @throws TransportFailure of kind PROTOCOL when a line or an event exceeds its bound
   */
  List<String> feed(byte[] chunk) {
    List<String> out = new ArrayList<>(2);
    for (byte b : chunk) {
      if (lastWasCr) {
        lastWasCr = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\r' || b == '\n') {
        lastWasCr = b == '\r';
        endLine(out);
      } else {
        append(b);
      }
    }
    return out;
  }

  private void append(byte b) {
    if (lineLength >= maxLine) {
      throw TransportFailure.of(TransportFailure.Kind.PROTOCOL,
          "an SSE line exceeded " + maxLine + " bytes without a line end", null);
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLine));
    }
    line[lineLength++] = b;
  }

  private void endLine(List<String> out) {
    if (lineLength == 0) {
      if (hasData) {
        out.add(data.toString());
      }
      data.setLength(0);
      hasData = false;
      return;
    }
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > 64 * 1024) {
      line = new byte[256]; // a huge event should not pin its buffer for the rest of the stream
    }
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    if (!field.equals("data")) {
      return;
    }
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (data.length() + value.length() + 1 > maxEvent) {
      throw TransportFailure.of(TransportFailure.Kind.PROTOCOL, "an SSE event exceeded " + maxEvent + " bytes", null);
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
  }
}
