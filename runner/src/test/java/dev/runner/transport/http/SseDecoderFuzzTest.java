package dev.runner.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.runner.protocol.EventDecoder;
import dev.runner.protocol.MalformedEventException;
import dev.runner.transport.TransportFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the SSE decoder and the event decoder behind it with arbitrary bytes cut into arbitrary chunks. Properties:
 * nothing but the decoder's own bound failure escapes; how the bytes are chunked never changes the events; no event
 * is longer than the bound. Ordinary builds replay the committed inputs ({@code SseDecoderFuzzTestInputs}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (see {@code ci/fuzz.sh}).
 */
class SseDecoderFuzzTest {
  static final int MAX_LINE = 512;
  static final int MAX_EVENT = 1024;

  @FuzzTest(maxDuration = "30s")
  void chunkingNeverChangesTheEvents(FuzzedDataProvider data) {
    int cuts = data.consumeInt(0, 8);
    int[] at = new int[cuts];
    for (int i = 0; i < cuts; i++) {
      at[i] = data.consumeInt(0, 4096);
    }
    byte[] bytes = data.consumeRemainingAsBytes();
    List<String> whole = decode(List.of(bytes));
    List<String> chunked = decode(chunks(bytes, at));
    if (failed(whole) || failed(chunked)) {
      // a refused stream ends the same way however it is cut; the events of the chunk that failed are dropped with
      // it (the stream is retried as a whole), so the events before the failure may differ by that chunk's share
      assertThat(chunked.get(chunked.size() - 1)).isEqualTo(whole.get(whole.size() - 1));
      List<String> a = whole.subList(0, whole.size() - 1);
      List<String> b = chunked.subList(0, chunked.size() - 1);
      List<String> shorter = a.size() <= b.size() ? a : b;
      List<String> longer = a.size() <= b.size() ? b : a;
      assertThat(longer.subList(0, shorter.size())).isEqualTo(shorter);
    } else {
      assertThat(chunked).isEqualTo(whole);
    }
    for (String event : whole) {
      if (event.startsWith("failure:")) {
        continue;
      }
      assertThat(event.length()).isLessThanOrEqualTo(MAX_EVENT);
      try {
        EventDecoder.decode(event);
      } catch (MalformedEventException e) {
        // not an event: what the transport reports as a malformed stream
      }
    }
  }

  private static boolean failed(List<String> events) {
    return !events.isEmpty() && events.get(events.size() - 1).startsWith("failure:");
  }

  /** Every event's data, or {@code failure:KIND} where the decoder refused the stream. */
  static List<String> decode(List<byte[]> chunks) {
    SseDecoder decoder = new SseDecoder(MAX_LINE, MAX_EVENT);
    List<String> out = new ArrayList<>();
    try {
      for (byte[] chunk : chunks) {
        out.addAll(decoder.feed(chunk));
      }
    } catch (TransportFailure f) {
      out.add("failure:" + f.kind());
    }
    return out;
  }

  static List<byte[]> chunks(byte[] bytes, int[] cuts) {
    int[] sorted = Arrays.stream(cuts).map(c -> Math.min(c, bytes.length)).sorted().toArray();
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int c : sorted) {
      out.add(Arrays.copyOfRange(bytes, from, c));
      from = c;
    }
    out.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return out;
  }
}
