package dev.runner.loop;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import dev.runner.protocol.Item;
import dev.runner.protocol.ResponseRequest;
import dev.runner.protocol.Usage;
import dev.runner.tools.ToolCall;
import dev.runner.tools.ToolContext;
import dev.runner.tools.ToolRegistry;
import dev.runner.transport.ModelTransport;
import dev.runner.transport.TransportSession;
import dev.runner.transport.TurnRequest;
import dev.runner.transport.TurnResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The turn loop: send the conversation, stream a turn, run the tool calls it asked for, append their outputs, and go
 * on until a turn ends without tool calls. The final message then goes through the {@link AnswerCheck}; a rejected
 * answer gets a repair turn (up to {@link LoopSettings#schemaRetries()}). With a compaction threshold the conversation
 * is kept under it between turns ({@link AutoCompaction}).
 *
 * <p>Failures: {@link RunnerException#timeout} when the deadline passes, {@code taskFailed} when {@code maxTurns} is
 * reached or the model fails, {@code schemaViolation} when the answer is still rejected after the repairs; transport
 * errors pass through unchanged.
 */
public final class AgentLoop {
  private static final Log LOG = Log.of("loop");

  private final ModelTransport transport;
  private final ToolRegistry tools;
  private final ToolContext toolContext;
  private final LoopSettings settings;
  private final AnswerCheck check;
  private final LoopListener listener;
  private final Clock clock;
  private final RunStop stop;

  public AgentLoop(ModelTransport transport, ToolRegistry tools, ToolContext toolContext, LoopSettings settings,
      AnswerCheck check, LoopListener listener, Clock clock) {
    this(transport, tools, toolContext, settings, check, listener, clock, RunStop.NEVER);
  }

  /** As above; {@code stop} is asked before every request and every tool call. */
  public AgentLoop(ModelTransport transport, ToolRegistry tools, ToolContext toolContext, LoopSettings settings,
      AnswerCheck check, LoopListener listener, Clock clock, RunStop stop) {
    this.stop = stop;
    this.transport = transport;
    this.tools = tools;
    this.toolContext = toolContext;
    this.settings = settings;
    this.check = check;
    this.listener = listener;
    this.clock = clock;
  }

  /** Runs {@code task} to completion; see the class comment for failures. */
  public LoopOutcome run(String task) {
    return run(List.of(), List.of(Item.Message.user(task)));
  }

  /**
   * Runs a conversation that starts from {@code history} (a resumed session's items, sent again in full) followed by
   * {@code input} (project docs, the task, images); otherwise as {@link #run(String)}.
   */
  public LoopOutcome run(List<Item> history, List<Item> input) {
    return run(UUID.randomUUID().toString(), history, input);
  }

  /** As {@link #run(List, List)}, as session {@code sessionId} (what listeners are told, e.g. a saved session's). */
  public LoopOutcome run(String sessionId, List<Item> history, List<Item> input) {
    return run(sessionId, history, null, input);
  }

  /**
   * As {@link #run(String, List, List)}, where the service may still hold the first {@code storedParent.items()}
   * items of {@code history} as stored response {@code storedParent.id()} (null: it holds none): the first request
   * then chains from it with only the rest, and falls back to the whole conversation when the response is gone.
   */
  public LoopOutcome run(String sessionId, List<Item> history, ResponseMark storedParent, List<Item> input) {
    Instant deadline = toolContext.deadline();
    ResponseRequest base = baseRequest(sessionId);
    listener.sessionStarted(sessionId);
    List<Item> initial = new ArrayList<>(history);
    initial.addAll(input);
    Conversation conversation = new Conversation(initial, storedParent);
    dev.runner.transport.TransportKind lastTransport = null;
    ToolBatch batch = new ToolBatch(tools, toolContext, listener, settings.parallelToolCalls(), stop);
    Usage total = Usage.ZERO;
    Usage last = Usage.ZERO;
    AutoCompaction compaction = new AutoCompaction(settings.compactThreshold(), transport, listener);
    int toolCalls = 0;
    int repairsLeft = settings.schemaRetries();
    boolean repairTurn = false;
    boolean success = false;
    try (TransportSession session = transport.openSession()) {
      for (int turn = 1; turn <= settings.maxTurns(); turn++) {
        stop.check();
        requireTime(deadline);
        compaction.beforeTurn(turn, last, conversation, base, deadline);
        stop.check(); // compaction may have taken a while
        listener.turnStarted(turn, repairTurn);
        int current = turn;
        ResponseRequest request = compaction.request(base).full(conversation.items());
        TurnResult result;
        try {
          ResponseMark parent = conversation.storedParent();
          result = session.send(new TurnRequest(request, conversation.pending(), parent == null ? null : parent.id()),
              event -> listener.event(current, event), deadline);
        } catch (RuntimeException e) {
          listener.turnFailed(turn, String.valueOf(e.getMessage()));
          throw e;
        }
        last = result.response().usage();
        total = total.plus(last);
        List<Item> output = result.output();
        listener.turnCompleted(turn, last, output);
        int itemsBefore = conversation.items().size();
        conversation.addOutput(output, result.response().id());
        lastTransport = result.facts() == null ? null : result.facts().transport();
        compaction.observe(turn, output, itemsBefore, conversation);
        List<ToolBatch.Pending> calls = toolCalls(output);
        if (!calls.isEmpty()) {
          toolCalls += calls.size();
          conversation.addInputs(batch.run(turn, calls, deadline));
          stop.check(); // a stopped tool's output never reaches the model
          repairTurn = false;
          continue;
        }
        stop.check(); // a stop during the last stream: no answer, no repair turn
        String finalMessage = lastMessage(output);
        listener.finalMessage(finalMessage);
        Optional<AnswerCheck.Rejection> rejection = check.check(finalMessage);
        if (rejection.isEmpty()) {
          success = true;
          return new LoopOutcome(finalMessage, turn, toolCalls, total);
        }
        if (repairsLeft-- <= 0) {
          throw RunnerException.schemaViolation("the final message does not satisfy --output-schema: "
              + rejection.get().problems(), "see the errors above; --schema-retries N allows more repair turns");
        }
        LOG.info(() -> "final message rejected, asking for a repair: " + rejection.get().problems());
        conversation.addInputs(List.of(Item.Message.user(rejection.get().repairPrompt())));
        repairTurn = true;
      }
      throw RunnerException.taskFailed("the model was still working after " + settings.maxTurns()
          + " turns (--max-turns); raise it or narrow the task", null);
    } finally {
      ResponseMark mark = conversation.last();
      if (mark != null && lastTransport != null) {
        listener.lastResponse(mark, lastTransport, settings.store());
      } else if (mark != null && storedParent != null) {
        // no response in this run (it failed before one completed): the resumed one is still the latest
        listener.lastResponse(mark, null, true);
      }
      listener.conversationEnded(conversation.items());
      listener.sessionFinished(success, total);
    }
  }

  /**
   * The request every turn starts from. Its {@code prompt_cache_key} is the session's id, as codex sends its
   * conversation's: the service routes a conversation's turns to the same prompt cache, and a resumed session keeps it.
   */
  private ResponseRequest baseRequest(String sessionId) {
    return new ResponseRequest(settings.model(), settings.instructions(), List.of(), tools.definitions(), "auto",
        settings.parallelToolCalls(), settings.store(), null, settings.textFormat(), null, sessionId,
        settings.reasoning(), settings.include(), null, null);
  }

  private void requireTime(Instant deadline) {
    if (!clock.instant().isBefore(deadline)) {
      throw RunnerException.timeout("the run passed its deadline of " + settings.timeout().toSeconds()
          + " s (--timeout)", "raise --timeout, or give the task fewer steps");
    }
  }

  static List<ToolBatch.Pending> toolCalls(List<Item> output) {
    List<ToolBatch.Pending> calls = new ArrayList<>();
    for (Item item : output) {
      if (item instanceof Item.FunctionCall f) {
        calls.add(new ToolBatch.Pending(new ToolCall(f.callId(), f.name(), f.arguments()), false));
      } else if (item instanceof Item.CustomToolCall c) {
        calls.add(new ToolBatch.Pending(new ToolCall(c.callId(), c.name(), c.input()), true));
      }
    }
    return calls;
  }

  static String lastMessage(List<Item> output) {
    String text = "";
    for (Item item : output) {
      if (item instanceof Item.Message m && "assistant".equals(m.role())) {
        text = m.text();
      }
    }
    return text;
  }
}
