package dev.runner.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runner.transport.TransportFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  private static final String FIXTURE = ": keep-alive comment\n" + "event: response.created\n"
      + "data: {\"type\":\"response.created\",\"text\":\"h\u00e9llo \u2603\"}\n\n" + "id: 7\nretry: 100\n"
      + "data: {\"a\":\ndata: 1}\n\n" + "event: response.completed\n" + "data:{\"type\":\"response.completed\"}\n\n"
      + "data: unterminated";

  private static final List<String> EXPECTED = List.of("{\"type\":\"response.created\",\"text\":\"h\u00e9llo \u2603\"}",
      "{\"a\":\n1}", "{\"type\":\"response.completed\"}");

  private static List<String> feedSplit(String text, int... cuts) {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    SseDecoder d = new SseDecoder();
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      out.addAll(d.feed(Arrays.copyOfRange(all, from, cut)));
      from = cut;
    }
    out.addAll(d.feed(Arrays.copyOfRange(all, from, all.length)));
    return out;
  }

  @Test
  void decodesEventsSplitAtEveryBytePosition() {
    int length = FIXTURE.getBytes(StandardCharsets.UTF_8).length;
    for (int i = 0; i <= length; i++) {
      assertThat(feedSplit(FIXTURE, i)).as("split at %d", i).isEqualTo(EXPECTED);
    }
  }

  @Test
  void decodesEventsSplitAtEveryPairOfPositionsWithCrlf() {
    String crlf = FIXTURE.replace("\n", "\r\n");
    int length = crlf.getBytes(StandardCharsets.UTF_8).length;
    for (int i = 0; i <= length; i++) {
      for (int j = i; j <= length; j += 7) {
        assertThat(feedSplit(crlf, i, j)).as("split at %d,%d", i, j).isEqualTo(EXPECTED);
      }
    }
  }

  @Test
  void acceptsBareCarriageReturnLineEnds() {
    String cr = FIXTURE.replace("\n", "\r");
    for (int i = 0; i <= cr.length(); i++) {
      assertThat(feedSplit(cr, i)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void byteAtATimeDecodesTheSame() {
    byte[] all = FIXTURE.getBytes(StandardCharsets.UTF_8);
    SseDecoder d = new SseDecoder();
    List<String> out = new ArrayList<>();
    for (byte b : all) {
      out.addAll(d.feed(new byte[]{b}));
    }
    assertThat(out).isEqualTo(EXPECTED);
  }

  @Test
  void skipsEventsWithoutData() {
    assertThat(feedSplit("event: ping\n\n: only a comment\n\ndata: x\n\n")).containsExactly("x");
  }

  @Test
  void refusesAnOversizedLineWithAClearError() {
    SseDecoder d = new SseDecoder(16, 1024);
    assertThatThrownBy(() -> d.feed("data: 0123456789abcdef\n\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TransportFailure.class).hasMessageContaining("SSE line exceeded 16 bytes")
        .extracting(e -> ((TransportFailure) e).kind()).isEqualTo(TransportFailure.Kind.PROTOCOL);
  }

  @Test
  void refusesAnOversizedEventWithAClearError() {
    SseDecoder d = new SseDecoder(64, 20);
    assertThatThrownBy(() -> d.feed("data: 0123456789\ndata: 0123456789\n\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TransportFailure.class).hasMessageContaining("SSE event exceeded 20 bytes");
  }
}
