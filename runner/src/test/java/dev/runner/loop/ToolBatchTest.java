package dev.runner.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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

  static ToolBatch.Pending patch(String id, String body) {
    String args = JsonNodeFactory.instance.objectNode()
        .put("input", "*** Begin Patch\n" + body + "\n*** End Patch")
        .toString();
    return new ToolBatch.Pending(new ToolCall(id, "apply_patch", args), false);
  }

  private static String output(Item item) {
    return ((Item.FunctionCallOutput) item).output();
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

  @Test
  void aPatchWaitsForTheShellCallsBeforeItAndHoldsBackTheOnesAfter() {
    ToolBatch batch = new ToolBatch(ToolRegistry.standard(), context(), new LoopListener() {
    }, true);
    List<Item> outputs = batch.run(1, List.of(
        // a and c still run together: each waits for the other's file
        shell("a", "touch a; for i in $(seq 100); do [ -f c ] && break; sleep 0.05; done; [ -f c ] || exit 7;"
            + " for i in $(seq 20); do [ -f patched.txt ] && exit 8; sleep 0.05; done; exit 0"),
        shell("c", "touch c; for i in $(seq 100); do [ -f a ] && exit 0; sleep 0.05; done; exit 7"),
        patch("p", "*** Add File: patched.txt\n+x"),
        shell("b", "test -f patched.txt")), Instant.now().plusSeconds(60));

    assertThat(outputs).extracting(i -> ((Item.FunctionCallOutput) i).callId()).containsExactly("a", "c", "p", "b");
    // a watched for a second without seeing the patch land; b, after it, sees the file
    assertThat(output(outputs.get(0))).startsWith("Exit code: 0");
    assertThat(output(outputs.get(1))).startsWith("Exit code: 0");
    assertThat(output(outputs.get(2))).startsWith("Success.");
    assertThat(output(outputs.get(3))).startsWith("Exit code: 0");
  }

  @Test
  void consecutivePatchesApplyOneAfterTheOtherInCallOrder() {
    ToolBatch batch = new ToolBatch(ToolRegistry.standard(), context(), new LoopListener() {
    }, true);
    List<Item> outputs = batch.run(1, List.of(
        patch("p1", "*** Add File: f.txt\n+one"),
        patch("p2", "*** Update File: f.txt\n@@\n-one\n+two"),
        shell("s", "cat f.txt")), Instant.now().plusSeconds(60));

    assertThat(outputs).extracting(ToolBatchTest::output)
        .satisfiesExactly(
            p1 -> assertThat(p1).startsWith("Success."),
            p2 -> assertThat(p2).startsWith("Success."),
            s -> assertThat(s).startsWith("Exit code: 0").contains("two"));
  }
}
