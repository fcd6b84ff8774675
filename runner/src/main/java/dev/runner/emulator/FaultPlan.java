package dev.runner.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which faults to inject, parsed from a spec:
 *
 * <pre>
 * SPEC := RULE (',' RULE)*
 * RULE := KIND '@' N         once per conversation, on its N-th model turn (N = tool outputs so far + 1);
 *                            for upgrade426/upgrade404, once per server, on the N-th WebSocket handshake
 *       | KIND '@*'          on every turn (every handshake)
 *       | 'p=' P ':' KIND    on each turn (handshake) with probability P in [0,1], drawn from the seeded random
 * </pre>
 *
 * A turn rule (and a scenario turn's own fault) fires once per conversation, as {@link ConversationKey} and {@link
 * TurnFaults} tell conversations and retries apart, so a client that retries gets past it and the next conversation
 * meets it again. Handshakes belong to no conversation: their rules count handshakes per server (until {@link
 * #reset()}). Warm-up requests ({@code generate:false}) are never faulted. Thread-safe; one instance per server.
 */
final class FaultPlan {
  private record Rule(FaultKind kind, int at, double probability) {}

  private final List<Rule> rules;
  private final long seed;
  private final boolean oneShotTurnRules;
  private final Set<Integer> firedHandshakes = new HashSet<>();
  private final TurnFaults turns = new TurnFaults();
  private Random random;
  private int handshakes;

  private FaultPlan(List<Rule> rules, long seed) {
    this.rules = List.copyOf(rules);
    this.seed = seed;
    this.random = new Random(seed);
    this.oneShotTurnRules = rules.stream().anyMatch(r -> !r.kind().atHandshake() && r.at() > 0);
  }

  /** @throws IllegalArgumentException naming the rule that does not parse */
  static FaultPlan parse(String spec, long seed) {
    List<Rule> rules = new ArrayList<>();
    if (spec != null && !spec.isBlank()) {
      for (String raw : spec.split(",")) {
        String r = raw.trim();
        try {
          if (r.startsWith("p=")) {
            int colon = r.indexOf(':');
            if (colon < 0) {
              throw new IllegalArgumentException("no ':' between the probability and the kind");
            }
            double p;
            try {
              p = Double.parseDouble(r.substring(2, colon));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("'" + r.substring(2, colon) + "' is not a probability");
            }
            if (p < 0 || p > 1) {
              throw new IllegalArgumentException("probability " + p + " is outside [0,1]");
            }
            rules.add(new Rule(FaultKind.of(r.substring(colon + 1)), 0, p));
          } else {
            int at = r.indexOf('@');
            String when = r.substring(at + 1).trim();
            if (at < 0) {
              throw new IllegalArgumentException("no '@': say when the fault fires");
            }
            if (!when.equals("*") && !when.matches("[0-9]{1,9}")) {
              throw new IllegalArgumentException("'" + when + "' is not a turn number or *");
            }
            int n = when.equals("*") ? -1 : Integer.parseInt(when);
            if (n == 0 || n < -1) {
              throw new IllegalArgumentException("turn numbers start at 1");
            }
            rules.add(new Rule(FaultKind.of(r.substring(0, at)), n, 0));
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("fault rule '" + r + "' does not parse (" + e.getMessage()
              + "); use KIND@N, KIND@* or p=P:KIND with KIND one of " + FaultKind.names(), e);
        }
      }
    }
    return new FaultPlan(rules, seed);
  }

  /**
   * The fault for a model turn (1-based), or null.
   *
   * @param scripted the scenario turn's own fault, or null
   * @param conversation the request's {@link ConversationKey}, asked only when a one-shot rule could fire
   * @param items how many items the request's whole conversation has
   */
  FaultKind forTurn(int turn, String scripted, Supplier<String> conversation, int items) {
    // the key is a digest of the conversation's start: made before taking the lock the server's requests share
    String key = scripted != null || oneShotTurnRules ? conversation.get() : null;
    synchronized (this) {
      return forTurn(turn, scripted, key == null ? null : turns.at(key, turn, items));
    }
  }

  /** Called with the lock held; {@code oneShot} is null when no one-shot fault can fire. */
  private FaultKind forTurn(int turn, String scripted, TurnFaults.Turn oneShot) {
    if (oneShot != null && scripted != null && oneShot.fire(-1)) {
      return FaultKind.of(scripted);
    }
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.kind().atHandshake()) {
        continue;
      }
      if (r.probability() > 0) {
        if (random.nextDouble() < r.probability()) {
          return r.kind();
        }
      } else if (r.at() == -1 || (r.at() == turn && oneShot != null && oneShot.fire(i))) {
        return r.kind();
      }
    }
    if (oneShot != null) {
      oneShot.pass();
    }
    return null;
  }

  /** The fault for the next WebSocket handshake, or null. */
  synchronized FaultKind forHandshake() {
    handshakes++;
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (!r.kind().atHandshake()) {
        continue;
      }
      if (r.probability() > 0) {
        if (random.nextDouble() < r.probability()) {
          return r.kind();
        }
      } else if (r.at() == -1 || (r.at() == handshakes && firedHandshakes.add(i))) {
        return r.kind();
      }
    }
    return null;
  }

  /** How many conversation turns the plan remembers (bounded by {@link TurnFaults#CAPACITY}). */
  synchronized int rememberedTurns() {
    return turns.size();
  }

  synchronized void reset() {
    turns.clear();
    firedHandshakes.clear();
    handshakes = 0;
    random = new Random(seed);
  }
}
