package dev.runner.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The runner's permessage-deflate against plain zlib playing the other end, as RFC 7692 describes it. */
class PerMessageDeflateTest {
  private static final int MAX = 1024 * 1024;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  @Test
  void onlyPermessageDeflateIsTakenOver() {
    assertThat(PerMessageDeflate.negotiated(null, MAX)).isNull();
    assertThat(PerMessageDeflate.negotiated("", MAX)).isNull();
    assertThat(PerMessageDeflate.negotiated("x-webkit-deflate-frame", MAX)).isNull();
    assertThat(PerMessageDeflate.negotiated("permessage-deflate", MAX).compressesOutbound()).isTrue();
    assertThat(PerMessageDeflate.negotiated("foo; a=1, Permessage-Deflate; server_no_context_takeover", MAX))
        .isNotNull();
  }

  @Test
  void aWindowSmallerThanZlibsMeansSendingPlain() {
    assertThat(PerMessageDeflate.negotiated("permessage-deflate; client_max_window_bits=10", MAX)
        .compressesOutbound()).isFalse();
    assertThat(PerMessageDeflate.negotiated("permessage-deflate; client_max_window_bits=\"15\"", MAX)
        .compressesOutbound()).isTrue();
    assertThat(PerMessageDeflate.negotiated("permessage-deflate; client_max_window_bits=x", MAX)
        .compressesOutbound()).isFalse();
  }

  @Test
  void messagesFromAServerThatKeepsItsContextInflate() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", MAX);
    Deflater server = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    String first = "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}";
    String second = "{\"type\":\"response.in_progress\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}";
    byte[] a = syncFlushed(server, first);
    byte[] b = syncFlushed(server, second);
    assertThat(new String(codec.inflate(Unpooled.wrappedBuffer(a)), StandardCharsets.UTF_8)).isEqualTo(first);
    // the second refers back into the first: only a decoder that kept its window reads it
    assertThat(b.length).isLessThan(second.length() / 2);
    assertThat(new String(codec.inflate(Unpooled.wrappedBuffer(b)), StandardCharsets.UTF_8)).isEqualTo(second);
  }

  @Test
  void aMessageLargerThanTheBuffersAndAStreamEndedByTheServerBothInflate() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate; server_no_context_takeover", MAX);
    String big = "x".repeat(200_000) + "end";
    Deflater finishing = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    finishing.setInput(big.getBytes(StandardCharsets.UTF_8));
    finishing.finish();
    byte[] whole = drain(finishing, Deflater.NO_FLUSH);
    assertThat(new String(codec.inflate(Unpooled.wrappedBuffer(whole)), StandardCharsets.UTF_8)).isEqualTo(big);
    // after a final block the next message is a new stream
    byte[] next = syncFlushed(new Deflater(Deflater.DEFAULT_COMPRESSION, true), "{\"n\":2}");
    assertThat(new String(codec.inflate(Unpooled.wrappedBuffer(next)), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
  }

  @Test
  void aMessageThatInflatesPastTheLimitIsRefused() {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", 64 * 1024);
    byte[] bomb = syncFlushed(new Deflater(Deflater.BEST_COMPRESSION, true), "a".repeat(100_000));
    assertThatThrownBy(() -> codec.inflate(Unpooled.wrappedBuffer(bomb))).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("65536 bytes");
  }

  @Test
  void aMessageOfExactlyTheLimitInflates() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", 64 * 1024);
    String exact = "b".repeat(64 * 1024);
    byte[] payload = syncFlushed(new Deflater(Deflater.BEST_COMPRESSION, true), exact);
    assertThat(codec.inflate(Unpooled.wrappedBuffer(payload))).hasSize(64 * 1024);
    // and the context goes on to the next message
    byte[] next = syncFlushed(new Deflater(Deflater.DEFAULT_COMPRESSION, true), "{}");
    assertThat(new String(codec.inflate(Unpooled.wrappedBuffer(next)), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Test
  void garbageIsADataFormatError() {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", MAX);
    assertThatThrownBy(() -> codec.inflate(Unpooled.wrappedBuffer(new byte[]{(byte) 0xff, 1, 2, 3})))
        .isInstanceOf(DataFormatException.class);
  }

  @Test
  void outboundMessagesInflateAtTheServerWithTheTailPutBack() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", MAX);
    Inflater server = new Inflater(true);
    String tools = "{\"type\":\"response.create\",\"tools\":[" + "{\"name\":\"shell\"},".repeat(50) + "{}]}";
    byte[] first = codec.deflate(tools.getBytes(StandardCharsets.UTF_8));
    byte[] second = codec.deflate(tools.getBytes(StandardCharsets.UTF_8));
    assertThat(inflate(server, first)).isEqualTo(tools);
    // with context takeover the repeat is a back-reference of a few bytes
    assertThat(second.length).isLessThan(20);
    assertThat(inflate(server, second)).isEqualTo(tools);
    assertThat(Arrays.copyOfRange(first, first.length - 4, first.length)).isNotEqualTo(TAIL);
  }

  @Test
  void aServerThatAsksTheClientToForgetGetsSelfContainedMessages() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate; client_no_context_takeover", MAX);
    String text = "{\"input\":[" + "\"same words again\",".repeat(40) + "0]}";
    codec.deflate(text.getBytes(StandardCharsets.UTF_8));
    byte[] second = codec.deflate(text.getBytes(StandardCharsets.UTF_8));
    // a fresh inflater (no memory of the first message) reads the second
    assertThat(inflate(new Inflater(true), second)).isEqualTo(text);
  }

  @Test
  void anEmptyMessageRoundTrips() throws Exception {
    PerMessageDeflate codec = PerMessageDeflate.negotiated("permessage-deflate", MAX);
    assertThat(inflate(new Inflater(true), codec.deflate(new byte[0]))).isEmpty();
    assertThat(codec.inflate(Unpooled.wrappedBuffer(syncFlushed(new Deflater(6, true), "")))).isEmpty();
  }

  private static byte[] syncFlushed(Deflater deflater, String text) {
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = drain(deflater, Deflater.SYNC_FLUSH);
    assertThat(Arrays.copyOfRange(out, out.length - 4, out.length)).isEqualTo(TAIL);
    return Arrays.copyOf(out, out.length - 4);
  }

  private static byte[] drain(Deflater deflater, int flush) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, flush);
      out.write(chunk, 0, n);
    } while (n == chunk.length || (flush == Deflater.NO_FLUSH && !deflater.finished()));
    return out.toByteArray();
  }

  private static String inflate(Inflater inflater, byte[] payload) throws DataFormatException {
    byte[] input = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(TAIL, 0, input, payload.length, 4);
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    int n;
    while ((n = inflater.inflate(chunk)) > 0) {
      out.write(chunk, 0, n);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
