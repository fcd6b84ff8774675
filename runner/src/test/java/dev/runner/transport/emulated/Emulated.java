package dev.runner.transport.emulated;

import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.RunningEmulator;
import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseRequest;
import dev.runner.tools.ToolRegistry;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TransportSettings;
import dev.runner.transport.TurnObserver;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives whole conversations through a transport against the real emulator: a tiny tool loop that answers every shell
 * call with the text its {@code echo} would print, so a conversation's final answer is deterministic and comparable
 * across transports and faults.
 */
public final class Emulated {
  public static final String KEY = "sk-emulated-test-key-0042";

  private Emulated() {}

  /** What a conversation ended with. */
  public record Conversation(String answer, List<TurnResult> turns) {
    public int requestRetries() {
      return turns.stream().mapToInt(t -> t.facts().requestRetries()).sum();
    }

    public int streamRetries() {
      return turns.stream().mapToInt(t -> t.facts().streamRetries()).sum();
    }

    public int reconnects() {
      return turns.stream().mapToInt(t -> t.facts().reconnects()).sum();
    }

    public long incrementalTurns() {
      return turns.stream().filter(t -> t.facts().incremental()).count();
    }
  }

  public static RunningEmulator start(String scenario, String faults) {
    return EmulatorServer.start(EmulatorOptions.defaults().withScenario(scenario).withFaults(faults));
  }

  public static TransportSettings.Builder settings(RunningEmulator emulator) {
    return TransportSettings.builder("emulator", emulator.baseUrl()).apiKey(() -> KEY);
  }

  public static Instant deadline() {
    return Instant.now().plus(Duration.ofSeconds(20));
  }

  /** The request the runner's loop would build: its real tool list, store false. */
  public static ResponseRequest request(List<Item> input) {
    return new ResponseRequest("emulator", "You are a careful CI agent. Answer briefly.", input,
        ToolRegistry.standard().definitions(), "auto", true, false, null, null, null, null, null, null, null, null);
  }

  /** Runs one conversation in a fresh session of {@code transport}. */
  public static Conversation converse(ModelTransport transport, String prompt, Instant deadline) {
    try (TransportSession session = transport.openSession()) {
      return converse(session, prompt, deadline);
    }
  }

  public static Conversation converse(TransportSession session, String prompt, Instant deadline) {
    return converse(session, List.of(Item.Message.user(prompt)), deadline);
  }

  /** Runs one conversation that starts with {@code start}. */
  public static Conversation converse(TransportSession session, List<Item> start, Instant deadline) {
    List<Item> input = new ArrayList<>(start);
    TurnRequest turn = TurnRequest.first(request(input));
    List<TurnResult> turns = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      TurnResult result = session.send(turn, TurnObserver.NONE, deadline);
      turns.add(result);
      List<Item> outputs = new ArrayList<>();
      StringBuilder answer = new StringBuilder();
      for (Item item : result.output()) {
        if (item instanceof Item.FunctionCall call) {
          outputs.add(new Item.FunctionCallOutput(call.callId(), echo(call.arguments())));
        } else if (item instanceof Item.Message m) {
          m.content().forEach(c -> answer.append(c.text()));
        }
      }
      if (outputs.isEmpty()) {
        return new Conversation(answer.toString(), turns);
      }
      input.addAll(result.output());
      input.addAll(outputs);
      turn = new TurnRequest(request(input), outputs);
    }
    throw new AssertionError("the conversation did not end");
  }

  /** What {@code echo step K} prints, as the shell tool would report it. */
  private static String echo(String arguments) {
    String command = arguments.replaceAll(".*\"command\":\"([^\"]*)\".*", "$1");
    return "Exit code: 0\nOutput:\n" + command.replaceFirst("^echo ", "") + "\n";
  }
}
