package dev.runner.emulator;

import java.util.List;

/** The state one server shares between its endpoints; {@link #reset()} restores the start state. */
record EmulatorContext(EmulatorOptions options, ResponseEngine engine, Compactor compactor, StatsRecorder stats,
    FaultPlan faults, ResponseStore store, Scenario scenario) {

  List<String> engineModels() {
    return scenario.models();
  }

  void reset() {
    stats.reset();
    store.clear();
    faults.reset();
  }
}
