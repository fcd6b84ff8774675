package dev.runner.cli;

import dev.runner.RunnerException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code runner emulator}: a local Responses-API server for tests, benchmarks and offline pipeline
 * dry-runs.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true, description = "Runs a local OpenAI Responses-API emulator (HTTP+SSE and WebSocket) with scripted models.")
final class EmulatorCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw RunnerException.usage(
        "'runner emulator' is not available in this build yet", "it lands with the emulator issue");
  }
}
