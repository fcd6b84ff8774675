package dev.runner.bench;

import dev.runner.protocol.EventDecoder;
import dev.runner.protocol.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Event parsing: every event of one tool-call turn (what the loop decodes per turn) and of a 200-delta text answer,
 * from the String an SSE decoder yields and from the bytes of a WebSocket text frame.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventDecoderBench {
  private List<String> toolTurn;
  private byte[][] toolTurnBytes;
  private List<String> textAnswer;

  @Setup
  public void setUp() {
    toolTurn = Samples.toolTurnEvents(7);
    toolTurnBytes = toolTurn.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    textAnswer = Samples.textAnswerEvents(200);
  }

  @Benchmark
  public void toolTurnFromStrings(Blackhole bh) {
    for (String e : toolTurn) {
      StreamEvent ev = EventDecoder.decode(e);
      bh.consume(ev);
    }
  }

  @Benchmark
  public void toolTurnFromBytes(Blackhole bh) {
    for (byte[] e : toolTurnBytes) {
      bh.consume(EventDecoder.decode(e));
    }
  }

  @Benchmark
  public void textAnswer200Deltas(Blackhole bh) {
    for (String e : textAnswer) {
      bh.consume(EventDecoder.decode(e));
    }
  }
}
