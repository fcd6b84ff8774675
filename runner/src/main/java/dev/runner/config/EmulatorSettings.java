package dev.runner.config;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code [emulator]} table, used by the embedded emulator provider and {@code runner
 * emulator}.
 *
 * @param scenario {@code scenario} [demo]: the scripted model to play
 * @param latency {@code latency} [zero]: {@code zero} or {@code realistic} timing
 * @param faults {@code faults} [""]: fault spec, interpreted by the emulator
 * @param seed {@code seed} [1, as {@code runner emulator --seed}]: seed for randomised latency and faults
 */
public record EmulatorSettings(String scenario, Latency latency, String faults, long seed) {
  /** Latency models of the emulator. */
  public enum Latency {
    ZERO,
    REALISTIC;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Latency of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return label();
    }
  }

  public static final EmulatorSettings DEFAULTS = new EmulatorSettings("demo", Latency.ZERO, "", 1);

  public EmulatorSettings {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(faults, "faults");
  }
}
