package dev.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runner.protocol.Item;
import dev.runner.tools.SandboxMode;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool calls of one turn, run by real processes. */
class ToolBatchTest {
  @TempDir
  Path workspace;

  static ToolBatch.Pending shell(String id, String script) {
    String args = "{\"command\":\"" + script + "\",\"workdir\":null,\"timeout_ms\":20000}";
    return new ToolBatch.Pending(new ToolCall(id, "shell", args), false);
  }

  /** Each command waits for a file only the other one creates: they finish only when they run at the same time. */
  static List<ToolBatch.Pending> waitingForEachOther() {
    return List.of(shell("a", "touch a; for i in $(seq 100); do [ -f b ] && exit 0; sleep 0.05; done; exit 7"),
        shell("b", "touch b; for i in $(seq 100); do [ -f a ] && exit 0; sleep 0.05; done; exit 7"));
  }

  private ToolContext context;

  ToolContext context() {
    context = ToolContext.of(workspace, SandboxMode.DANGER_FULL_ACCESS, Map.of("PATH", System.getenv("PATH")),
        Duration.ofMinutes(1));
    return context;
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void parallelCallsOfOneTurnRunConcurrentlyAndKeepTheirOrder() {
    ToolBatch batch = new ToolBatch(ToolRegistry.standard(), context(), new LoopListener() {
    }, true);
    List<Item> outputs = batch.run(1, waitingForEachOther(), Instant.now().plusSeconds(60));
    assertThat(outputs).extracting(i -> ((Item.FunctionCallOutput) i).callId()).containsExactly("a", "b");
    assertThat(outputs).allSatisfy(i -> assertThat(((Item.FunctionCallOutput) i).output()).startsWith("Exit code: 0"));
  }

  @Test
  void withoutParallelToolCallsTheyRunOneAfterTheOther() {
    ToolBatch batch = new ToolBatch(ToolRegistry.standard(), context(), new LoopListener() {
    }, false);
    List<Item> outputs = batch.run(1, waitingForEachOther(), Instant.now().plusSeconds(60));
    // the first waits in vain for the second, which only starts after the first gave up
    assertThat(((Item.FunctionCallOutput) outputs.get(0)).output()).startsWith("Exit code: 7");
    assertThat(((Item.FunctionCallOutput) outputs.get(1)).output()).startsWith("Exit code: 0");
  }
}
