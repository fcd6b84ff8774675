package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.LatencyModel;
import dev.runner.emulator.RunningEmulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runner emulator}: a local Responses-API server for tests, benchmarks and offline pipeline dry-runs. Prints
 * one JSON line with the port first, then serves until SIGINT/SIGTERM (or {@code --exit-after}).
 */
@Command(name = "emulator", sortOptions = false, usageHelpAutoWidth = true, description = {
    "Runs a local OpenAI Responses-API emulator (HTTP+SSE and WebSocket) with a scripted model, so pipelines",
    "can be dry-run offline and benchmarked. The FIRST line on stdout is machine-readable:",
    "  {\"port\":43123,\"base_url\":\"http://127.0.0.1:43123/v1\"}",
    "then it serves until SIGINT/SIGTERM. Read the port in a script with e.g.",
    "  runner emulator --scenario demo > emu.out & sleep 1; PORT=$(head -1 emu.out | jq .port)",
    "",
    "Point a provider at it in config.toml:",
    "  [model_providers.emulator]",
    "  name = \"emulator\"",
    "  base_url = \"http://127.0.0.1:43123/v1\"",
    "  env_key = \"EMULATOR_KEY\"          # any non-empty value (or start with --no-auth)",
    "  wire_api = \"responses\"",
    "  supports_websockets = true",
    "and run: EMULATOR_KEY=x runner exec -c model_provider=emulator \"task\"  (or --provider emulator for an",
    "in-process emulator). Endpoints: POST /v1/responses (SSE with stream:true, JSON otherwise), WebSocket on",
    "GET /v1/responses, GET /v1/models, GET /emulator/stats, POST /emulator/reset.",
    "",
    "The admin endpoints /emulator/* always need 'Authorization: Bearer <any non-empty value>', also with",
    "--no-auth, and refuse requests from web pages (an Origin header; on loopback, a non-loopback Host):",
    "  curl -H 'Authorization: Bearer x' -X POST http://127.0.0.1:43123/emulator/reset",
    ""
}, footerHeading = "%n", footer = {
    "Scenarios: echo (answers the prompt), demo (surveys the client's directory with ls, git ls-files, git log",
    "and the README, then answers with the file count, languages by extension and files to read first, fitted",
    "to the client's output schema), tools:N (N shell calls 'echo step K', then an answer), explore:N (N calls",
    "as a model exploring a git checkout sends them: bash -lc argv, git/sed/grep reading files, a few KiB of",
    "output each; the benchmark's session), or a JSON file (schemas/scenario.schema.json).",
    "",
    "Fault grammar (--faults): RULE[,RULE...] where RULE is",
    "  KIND@N       once per conversation, on its model turn N (turn = tool outputs so far + 1), so a client's",
    "               retry gets past it and the next conversation meets it again. A conversation is its",
    "               prompt_cache_key, else its start: instructions, first user message and first call_id (a",
    "               chained request counts its parent's items); two with the same start at turn 1 are told apart",
    "               by order. For upgrade426/upgrade404: once per emulator, on the N-th WebSocket handshake",
    "               (POST /emulator/reset re-arms both)",
    "  KIND@*       on every turn (handshake)",
    "  p=P:KIND     on each turn (handshake) with probability P, drawn from --seed",
    "e.g. reset@3,stall@5,http429@2 or p=0.1:http500. Warm-ups (generate:false) are never faulted;",
    "previous_response_not_found and websocket_connection_limit_reached only hit WebSocket (chained) requests.",
    "KIND: upgrade426, upgrade404, reset, close1008, stall, http429, http500, http503,",
    "  previous_response_not_found, websocket_connection_limit_reached, malformed, binary, oversized,",
    "  truncated, failed, incomplete"
})
final class EmulatorCommand implements Callable<Integer>, OptionsInCode {
  private final Environment environment;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: 127.0.0.1).")
  String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 picks a free one and prints it (default: 0).")
  int port;

  @Option(names = "--no-auth", description = "Accept /v1 requests without 'Authorization: Bearer <key>' (/emulator/* still need one). Refused (exit 2) with a --host that is not loopback, unless --allow-unauthenticated-remote is given too.")
  boolean noAuth;

  @Option(names = "--allow-unauthenticated-remote", description = "Let --no-auth go with a non-loopback --host: every machine that can reach it may then use /v1 without a key.")
  boolean allowUnauthenticatedRemote;

  @Option(names = "--tls", description = "Serve https/wss with a self-signed certificate made at start.")
  boolean tls;

  @Option(names = "--ca-out", paramLabel = "FILE", description = "With --tls: write the certificate (the CA to trust) as PEM to FILE.")
  Path caOut;

  @Option(names = "--scenario", paramLabel = "NAME|FILE", description = "echo, demo, tools:N, explore:N, or a scenario JSON file (default: echo).")
  String scenario = "echo";

  @Option(names = "--latency", paramLabel = "zero|realistic", description = "Server timing model (default: zero; realistic = 300 ms to first token, 80 tok/s, 120/20 ms per HTTP/cached-WebSocket request, 25 ms per uncached KiB of input).")
  String latency = "zero";

  @Option(names = "--faults", paramLabel = "SPEC", description = "Faults to inject, see below (default: none).")
  String faults = "";

  @Option(names = "--seed", paramLabel = "N", description = "Seed for probabilistic faults (default: 1).")
  long seed = 1;

  @Option(names = "--ws-max-age", paramLabel = "DURATION", converter = DurationConverter.class, description = "WebSocket connection age limit, e.g. 60m, 30s, 250ms (default: 60m).")
  Duration wsMaxAge = Duration.ofMinutes(60);

  @Option(names = "--ws-idle-close", paramLabel = "DURATION", converter = DurationConverter.class, description = "Drop a WebSocket connection that carried no bytes either way (pings count) for DURATION, without a close frame, as an idle-timing proxy or load balancer does, e.g. 60s (default: never).")
  Duration wsIdleClose = Duration.ZERO;

  @Option(names = "--exit-after", paramLabel = "DURATION", converter = DurationConverter.class, description = "Stop serving after DURATION and exit 0 (default: serve until a signal).")
  Duration exitAfter;

  final LoggingOptions logging = new LoggingOptions();

  @Override
  public void addOptions(CommandLine.Model.CommandSpec spec) {
    logging.addTo(spec);
    StandardOptions.addTo(spec); // last, where picocli's own mixin put them
  }

  EmulatorCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    logging.install(environment, spec.commandLine().getErr());
    if (caOut != null && !tls) {
      throw RunnerException.usage("--ca-out needs --tls", "add --tls, or drop --ca-out");
    }
    if (port < 0 || port > 65535) {
      throw RunnerException.usage("--port " + port + " is out of range: a port is 0 to 65535",
          "pass --port 0 to pick a free port (it is printed on the first line)");
    }
    if (wsMaxAge != null && (wsMaxAge.isZero() || wsMaxAge.isNegative())) {
      throw RunnerException.usage("--ws-max-age must be positive", "give a duration such as 60m, 30s or 250ms");
    }
    if (exitAfter != null && exitAfter.isNegative()) {
      throw RunnerException.usage("--exit-after must not be negative", "give a duration such as 10s");
    }
    LatencyModel model;
    try {
      model = LatencyModel.named(latency);
    } catch (IllegalArgumentException e) {
      throw RunnerException.usage("--latency: " + e.getMessage(), "use --latency zero or --latency realistic");
    }
    EmulatorOptions options = EmulatorOptions.defaults().withHost(host).withPort(port).withRequireAuth(!noAuth)
        .withAllowUnauthenticatedRemote(allowUnauthenticatedRemote).withTls(tls, caOut).withScenario(scenario)
        .withLatency(model).withFaults(faults).withSeed(seed)
        .withWebsocketMaxAge(wsMaxAge).withWebsocketIdleClose(wsIdleClose);
    RunningEmulator emulator;
    try {
      emulator = EmulatorServer.start(options);
    } catch (IllegalArgumentException e) {
      // the emulator's own option checks (a fault rule, a scenario file): their messages name what is wrong
      throw RunnerException.usage(e.getMessage(), "see 'runner emulator --help'");
    }
    Thread hook = new Thread(emulator::close, "emulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      PrintWriter out = spec.commandLine().getOut();
      out.println("{\"port\":" + emulator.port() + ",\"base_url\":\"" + emulator.baseUrl() + "\"}");
      out.flush();
      spec.commandLine().getErr().println("runner emulator: scenario " + emulator.scenarioName() + " on "
          + emulator.baseUrl() + (tls && caOut != null ? " (CA: " + caOut + ")" : "")
          + "; stop with Ctrl-C");
      Duration wait = exitAfter == null ? Duration.ofHours(1) : exitAfter;
      while (!emulator.awaitClose(wait) && exitAfter == null) {
        // serve on: each wait is bounded so the thread never parks forever
      }
      return 0;
    } finally {
      emulator.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running or has run
      }
    }
  }
}
