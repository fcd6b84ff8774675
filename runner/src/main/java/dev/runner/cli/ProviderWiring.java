package dev.runner.cli;

import dev.runner.RunnerException;
import dev.runner.config.EmulatorSettings;
import dev.runner.config.ProviderConfig;
import dev.runner.config.RunConfig;
import dev.runner.emulator.EmulatorOptions;
import dev.runner.emulator.EmulatorServer;
import dev.runner.emulator.LatencyModel;
import dev.runner.emulator.RunningEmulator;
import dev.runner.logging.Log;
import dev.runner.transport.ProxySettings;
import dev.runner.transport.TransportSettings;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Maps the resolved provider onto the transport's settings, starting the embedded emulator when the provider is
 * {@code emulator}. The API key is read here, at the last moment, and handed to the transport as a supplier.
 */
final class ProviderWiring implements AutoCloseable {
  private static final Log LOG = Log.of("transport");
  private final RunningEmulator embedded;
  private final TransportSettings settings;

  ProviderWiring(RunConfig config, Map<String, String> env) {
    ProviderConfig p = config.provider();
    ProxySettings proxy = proxy(env); // first: it may refuse the run, before the embedded emulator starts
    String baseUrl;
    Supplier<String> key;
    if (p.embedded()) {
      embedded = EmulatorServer.start(emulatorOptions(config.emulator()));
      baseUrl = embedded.baseUrl();
      key = () -> "embedded-emulator";
    } else {
      embedded = null;
      baseUrl = p.baseUrl().orElseThrow();
      String resolved = p.resolveApiKey(env).orElse(null);
      key = () -> resolved;
    }
    settings = TransportSettings.builder(p.id(), baseUrl).queryParams(p.queryParams()).headers(p.httpHeaders())
        .envHeaders(p.envHeaders(env)).apiKey(key).retries(p.requestMaxRetries(), p.streamMaxRetries())
        .streamIdleTimeout(p.streamIdleTimeout())
        .websocketConnectTimeout(p.websocketConnectTimeout()).websocketLanes(p.websocketLanes())
        .warmup(p.websocketWarmup()).websocketAge(p.websocketMaxAge(), p.websocketRotationMargin())
        .websocketKeepalive(p.websocketKeepalive())
        .maxConnections(p.maxConnections())
        .caCertificate(TransportSettings.trustFile(p.caFile().map(Object::toString).orElse(null),
            env.get("SSL_CERT_FILE")))
        .proxy(proxy)
        .build();
  }

  /**
   * The proxies from the environment, checked before any connection: a proxy URL the runner cannot use is a
   * configuration error (exit 2), not a connect failure found after retries; a {@code NO_PROXY} entry it cannot read is
   * a warning (see {@link dev.runner.transport.NoProxy}). Messages name the variable, never its value, which may hold
   * a password.
   */
  static ProxySettings proxy(Map<String, String> env) {
    ProxySettings proxy;
    try {
      proxy = ProxySettings.fromEnvironment(firstOf(env, "HTTPS_PROXY", "https_proxy"),
          firstOf(env, "HTTP_PROXY", "http_proxy"), firstOf(env, "NO_PROXY", "no_proxy"));
    } catch (IllegalArgumentException e) {
      throw RunnerException.config(e.getMessage(), "fix or unset the variable; the form is "
          + "http://[USER:PASSWORD@]HOST:PORT");
    }
    if (proxy.https() != null || proxy.http() != null) {
      for (String skipped : proxy.noProxy().skipped()) {
        LOG.warn(skipped + "; that entry is ignored");
      }
    }
    return proxy;
  }

  static EmulatorOptions emulatorOptions(EmulatorSettings e) {
    return EmulatorOptions.defaults().withPort(0).withRequireAuth(false).withScenario(e.scenario())
        .withLatency(e.latency() == EmulatorSettings.Latency.REALISTIC ? LatencyModel.REALISTIC : LatencyModel.ZERO)
        .withFaults(e.faults()).withSeed(e.seed());
  }

  private static String firstOf(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  TransportSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
