package dev.runner.emulator;

import dev.runner.RunnerException;
import dev.runner.logging.Log;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * Starts a Responses-API emulator: {@code POST /v1/responses} (SSE or JSON), {@code POST /v1/responses/compact}, the
 * WebSocket mode on {@code GET /v1/responses}, {@code GET /v1/models}, {@code GET /emulator/stats} and {@code POST
 * /emulator/reset}. The admin endpoints ({@code /emulator/*}) always need {@code Authorization: Bearer <non-empty>},
 * also when {@code /v1} does not, and refuse any request that carries an {@code Origin} header (see
 * {@link HttpEndpoints#admin}). Shares nothing with the client side but {@code dev.runner.protocol}.
 *
 * <pre>
 * try (RunningEmulator emu = EmulatorServer.start(EmulatorOptions.defaults().withScenario("tools:3"))) {
 *   String baseUrl = emu.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * </pre>
 */
public final class EmulatorServer {
  private static final Log LOG = Log.of("emulator");
  private static final int STORE_CAPACITY = 4096;

  private EmulatorServer() {}

  /**
   * Binds and starts serving; returns once the port is open.
   *
   * @throws RunnerException (usage) for an unknown scenario, a bad fault spec or a certificate problem, (transport)
   *     when the address cannot be bound
   */
  public static RunningEmulator start(EmulatorOptions options) {
    if (!options.requireAuth() && !options.loopbackHost() && !options.allowUnauthenticatedRemote()) {
      // /v1 without auth on a reachable address lets anyone on the network drive the scripted model and read what
      // clients send it (prompts, tool outputs); that has to be asked for by name
      throw RunnerException.usage("emulator: --no-auth with --host " + options.host() + " would serve requests "
          + "without a key to every machine that can reach " + options.host(),
          "bind to 127.0.0.1 (the default) or drop --no-auth; add --allow-unauthenticated-remote if that is intended");
    }
    Scenario scenario;
    FaultPlan faults;
    try {
      scenario = ScenarioLoader.load(options.scenario());
      faults = FaultPlan.parse(options.faults(), options.seed());
    } catch (IllegalArgumentException e) {
      throw RunnerException.usage("emulator: " + e.getMessage(),
          "see 'runner emulator --help' for scenarios and the fault grammar");
    }
    StatsRecorder stats = new StatsRecorder();
    ResponseStore store = new ResponseStore(STORE_CAPACITY);
    Ids ids = new Ids(options.seed());
    ResponseEngine engine = new ResponseEngine(new ScriptedModel(scenario, ids), options.latency(), faults, store,
        stats, ids);
    EmulatorContext ctx = new EmulatorContext(options, engine, new Compactor(store, stats, ids), stats, faults, store,
        scenario);
    HttpEndpoints http = new HttpEndpoints(ctx);
    WebSocketEndpoint ws = new WebSocketEndpoint(ctx);
    LoopResources loops = LoopResources.create("emulator", 1, 2, true);
    HttpServer server = HttpServer.create().host(options.host()).port(options.port()).runOn(loops)
        .doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(ByteCounter.NAME,
            new ByteCounter(stats)))
        .route(r -> r.post("/v1/responses/compact", http::compact).post("/v1/responses", http::responses)
            .get("/v1/responses", ws::handle)
            .get("/v1/models", http::models).get("/emulator/stats", http::stats)
            .post("/emulator/reset", http::reset));
    String caPem = null;
    if (options.tls()) {
      SelfSignedTls tls = SelfSignedTls.generate(options.host());
      caPem = tls.pem();
      if (options.caOut() != null) {
        tls.writePem(options.caOut());
      }
      server = server.secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(tls.key(), tls.certificate())));
    }
    DisposableServer bound;
    try {
      bound = server.bindNow(Duration.ofSeconds(15));
    } catch (RuntimeException e) {
      loops.disposeLater().subscribe();
      throw RunnerException.transport("emulator could not listen on " + options.host() + ":" + options.port() + ": "
          + e.getMessage(), "choose another --port (0 picks a free one) or --host", e);
    }
    RunningEmulator running = new RunningEmulator(bound, loops, ctx, options.tls() ? "https" : "http", caPem);
    LOG.debug(() -> "emulator listening on " + running.baseUrl() + " (scenario " + scenario.name() + ")");
    return running;
  }
}
