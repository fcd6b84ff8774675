package dev.runner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runner.protocol.Item;
import dev.runner.protocol.RequestEncoder;
import dev.runner.protocol.ResponseRequest;
import dev.runner.tools.ToolRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Request serialization with the runner's real tool definitions: the HTTP body of the last turn of a tools:40 session
 * (whole conversation, 81 items) and a WebSocket incremental frame (the new call and its output only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestEncoderBench {
  private ResponseRequest full40;
  private ResponseRequest incremental;

  @Setup
  public void setUp() {
    JsonNode tools = ToolRegistry.standard().definitions();
    List<Item> conversation = Samples.conversation(40);
    ResponseRequest base = new ResponseRequest("mock-model", "You are a coding agent running in CI.", List.of(), tools,
        "auto", Boolean.FALSE, Boolean.FALSE, null, null, null, "bench-session", null, null, null, null);
    full40 = base.full(conversation);
    incremental = base.incremental("resp_39", conversation.subList(conversation.size() - 2, conversation.size()));
  }

  @Benchmark
  public byte[] httpBodyTools40() {
    return RequestEncoder.httpBody(full40);
  }

  @Benchmark
  public byte[] websocketIncrementalFrame() {
    return RequestEncoder.websocketFrame(incremental);
  }
}
