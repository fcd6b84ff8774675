package dev.runner.emulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Which faults to inject, parsed from a spec:
 *
 * <pre>
 * SPEC := RULE (',' RULE)*
 * RULE := KIND '@' N         once, on the N-th model turn of a conversation (N = tool outputs so far + 1);
 *                            for upgrade426/upgrade404, on the N-th WebSocket handshake
 *       | KIND '@*'          on every turn (every handshake)
 *       | 'p=' P ':' KIND    on each turn (handshake) with probability P in [0,1], drawn from the seeded random
 * </pre>
 *
 * A turn rule fires once per server lifetime (until {@link #reset()}), so a client that retries gets past it. Warm-up
 * requests ({@code generate:false}) are never faulted. Thread-safe; one instance per server.
 */
final class FaultPlan {
  private record Rule(FaultKind kind, int at, double probability) {}

  private final List<Rule> rules;
  private final long seed;
  private final Set<String> fired = new HashSet<>();
  private Random random;
  private int handshakes;

  private FaultPlan(List<Rule> rules, long seed) {
    this.rules = List.copyOf(rules);
    this.seed = seed;
    this.random = new Random(seed);
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

  /** The fault for a model turn (1-based), or null. {@code scripted} is the scenario turn's own fault, or null. */
  synchronized FaultKind forTurn(int turn, String scripted) {
    if (scripted != null && fired.add("scenario@" + turn)) {
      return FaultKind.of(scripted);
    }
    return pick(turn, false);
  }

  /** The fault for the next WebSocket handshake, or null. */
  synchronized FaultKind forHandshake() {
    handshakes++;
    return pick(handshakes, true);
  }

  private FaultKind pick(int n, boolean handshake) {
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      if (r.kind().atHandshake() != handshake) {
        continue;
      }
      if (r.probability() > 0) {
        if (random.nextDouble() < r.probability()) {
          return r.kind();
        }
      } else if (r.at() == -1 || (r.at() == n && fired.add(i + "@" + n))) {
        return r.kind();
      }
    }
    return null;
  }

  synchronized void reset() {
    fired.clear();
    handshakes = 0;
    random = new Random(seed);
  }
}
