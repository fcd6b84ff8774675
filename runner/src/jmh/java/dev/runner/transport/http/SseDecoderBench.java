package dev.runner.transport.http;

import dev.runner.bench.Samples;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * SSE decoding (bytes to event data strings) of a 200-delta text answer plus a tool-call turn, fed in chunks of the
 * given size as Netty would hand them over. Lives in the decoder's package because the decoder is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseDecoderBench {
  @Param({"512", "8192"})
  public int chunkSize;

  private byte[][] chunks;
  private int events;

  @Setup
  public void setUp() {
    List<String> all = new java.util.ArrayList<>(Samples.textAnswerEvents(200));
    all.addAll(Samples.toolTurnEvents(7));
    events = all.size();
    byte[] body = Samples.sse(all);
    int n = (body.length + chunkSize - 1) / chunkSize;
    chunks = new byte[n][];
    for (int i = 0; i < n; i++) {
      chunks[i] = Arrays.copyOfRange(body, i * chunkSize, Math.min(body.length, (i + 1) * chunkSize));
    }
  }

  @Benchmark
  public int decodeStream(Blackhole bh) {
    SseDecoder decoder = new SseDecoder();
    int seen = 0;
    for (byte[] c : chunks) {
      List<String> out = decoder.feed(c);
      seen += out.size();
      bh.consume(out);
    }
    if (seen != events) {
      throw new IllegalStateException("decoded " + seen + " events, expected " + events);
    }
    return seen;
  }
}
