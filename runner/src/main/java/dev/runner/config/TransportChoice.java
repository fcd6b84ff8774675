package dev.runner.config;

import java.util.List;

/**
 * Decides websocket vs http. The first level that says something other than {@code auto} wins:
 *
 * <ol>
 *   <li>{@code --transport} flag,
 *   <li>{@code -c transport=...},
 *   <li>the {@code transport} key of the selected profile, then of the runner's file, then of
 *       codex's file,
 *   <li>the provider's {@code supports_websockets} (default false): true means websocket.
 * </ol>
 *
 * <p>A pure function: the callers pass the levels in; nothing is read here.
 */
public final class TransportChoice {
  private TransportChoice() {}

  /** One explicit level: what it asked for and where that came from. */
  public record Level(TransportMode mode, Provenance source) {}

  /**
   * @param levels explicit levels, highest precedence first (flag, -c, profile, files)
   * @param providerId the selected provider, for the reason text
   * @param supportsWebsockets the provider's resolved {@code supports_websockets}
   * @param supportsWebsocketsSource where that value came from ({@link Provenance#DEFAULT} when no
   *     one set it)
   */
  public static TransportDecision decide(
      List<Level> levels,
      String providerId,
      boolean supportsWebsockets,
      Provenance supportsWebsocketsSource) {
    for (Level level : levels) {
      if (level.mode() == TransportMode.AUTO) {
        continue;
      }
      Transport t = level.mode() == TransportMode.WEBSOCKET ? Transport.WEBSOCKET : Transport.HTTP;
      return new TransportDecision(t, t + ": " + explicit(level), level.source(), true);
    }
    Transport t = supportsWebsockets ? Transport.WEBSOCKET : Transport.HTTP;
    String why;
    if (supportsWebsocketsSource instanceof Provenance.Default) {
      why = "provider '" + providerId + "' does not set supports_websockets (default false)";
    } else {
      String where = supportsWebsocketsSource instanceof Provenance.BuiltIn
          ? "built-in default"
          : supportsWebsocketsSource.toString();
      why = "provider '"
          + providerId
          + "' has supports_websockets = "
          + supportsWebsockets
          + " ("
          + where
          + ")";
    }
    return new TransportDecision(t, t + ": " + why, supportsWebsocketsSource, false);
  }

  private static String explicit(Level level) {
    // instanceof rather than a pattern switch: see ConfigSchema.walk
    if (level.source() instanceof Provenance.Flag) {
      return "--transport " + level.mode();
    }
    if (level.source() instanceof Provenance.ConfigOverride) {
      return "-c transport=" + level.mode();
    }
    return "transport = \"" + level.mode() + "\" (" + level.source() + ")";
  }
}
