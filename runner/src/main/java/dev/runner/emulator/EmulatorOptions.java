package dev.runner.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start an emulator. Build from {@link #defaults()} and the {@code with*} methods.
 *
 * @param host address to bind; {@code 127.0.0.1} by default (never a public interface unless asked)
 * @param port TCP port, 0 for any free port (read the chosen one from {@link RunningEmulator#port()})
 * @param requireAuth when true (default) every {@code /v1} request needs {@code Authorization: Bearer <non-empty>};
 *     the {@code /emulator/*} admin endpoints need it either way
 * @param tls serve https/wss with a self-signed certificate generated at start
 * @param caOut where to write that certificate as PEM (the client's trust anchor); null to skip
 * @param scenario a built-in scenario name ({@code echo}, {@code demo}, {@code tools:N}) or a scenario JSON file path
 * @param latency server-side timing model; {@link LatencyModel#ZERO} by default
 * @param faults fault spec (see {@link FaultPlan#parse}); empty for none
 * @param seed seed of the random source used by probabilistic faults
 * @param websocketMaxAge how long a WebSocket may live before the server ends it (60 minutes, as the service does)
 * @param allowUnauthenticatedRemote lets {@code requireAuth = false} go with a host that is not loopback; without it
 *     {@link EmulatorServer#start} refuses that pair (false by default)
 * @param websocketIdleClose a WebSocket connection that carries no bytes either way (frames, pings and pongs count)
 *     for this long is closed at the TCP level, without a close frame, as proxies and load balancers with an idle
 *     timeout do; zero (the default) never
 */
public record EmulatorOptions(
    String host,
    int port,
    boolean requireAuth,
    boolean tls,
    Path caOut,
    String scenario,
    LatencyModel latency,
    String faults,
    long seed,
    Duration websocketMaxAge,
    boolean allowUnauthenticatedRemote,
    Duration websocketIdleClose) {

  public EmulatorOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(websocketMaxAge, "websocketMaxAge");
    faults = faults == null ? "" : faults;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
    websocketIdleClose = websocketIdleClose == null ? Duration.ZERO : websocketIdleClose;
    if (websocketIdleClose.isNegative()) {
      throw new IllegalArgumentException("websocketIdleClose must be >= 0, was " + websocketIdleClose);
    }
    if (websocketMaxAge.isNegative() || websocketMaxAge.isZero()) {
      throw new IllegalArgumentException("websocketMaxAge must be positive, was " + websocketMaxAge);
    }
  }

  /**
   * Loopback, any port, auth required, no TLS, scenario {@code echo}, zero latency, no faults, 60 min sockets, no idle
   * close.
   */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions("127.0.0.1", 0, true, false, null, "echo", LatencyModel.ZERO, "", 1L,
        Duration.ofMinutes(60), false, Duration.ZERO);
  }

  public EmulatorOptions withHost(String value) {
    return new EmulatorOptions(value, port, requireAuth, tls, caOut, scenario, latency, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withPort(int value) {
    return new EmulatorOptions(host, value, requireAuth, tls, caOut, scenario, latency, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withRequireAuth(boolean value) {
    return new EmulatorOptions(host, port, value, tls, caOut, scenario, latency, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withTls(boolean value, Path caPemOut) {
    return new EmulatorOptions(host, port, requireAuth, value, caPemOut, scenario, latency, faults, seed,
        websocketMaxAge, allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withScenario(String value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, value, latency, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withLatency(LatencyModel value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, value, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withFaults(String value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, latency, value, seed, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withSeed(long value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, latency, faults, value, websocketMaxAge,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withWebsocketMaxAge(Duration value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, latency, faults, seed, value,
        allowUnauthenticatedRemote, websocketIdleClose);
  }

  public EmulatorOptions withAllowUnauthenticatedRemote(boolean value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, latency, faults, seed, websocketMaxAge,
        value, websocketIdleClose);
  }

  /** Closes WebSocket connections without traffic for {@code value} (zero: never), as an idle-timing proxy does. */
  public EmulatorOptions withWebsocketIdleClose(Duration value) {
    return new EmulatorOptions(host, port, requireAuth, tls, caOut, scenario, latency, faults, seed, websocketMaxAge,
        allowUnauthenticatedRemote, value);
  }

  /**
   * True when {@link #host} is a loopback address ({@code 127.0.0.0/8}, {@code ::1}) or {@code localhost}. Other names
   * are not resolved and count as remote: what they resolve to can change, and a wildcard ({@code 0.0.0.0},
   * {@code ::}) listens on every interface.
   */
  public boolean loopbackHost() {
    return isLoopback(host);
  }

  /** {@link #loopbackHost()}'s rule for any host name or literal, bracketed IPv6 included. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    byte[] ip = io.netty.util.NetUtil.createByteArrayFromIpAddressString(h);
    try {
      return ip != null && java.net.InetAddress.getByAddress(ip).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false; // only thrown for a wrong length, which a parsed literal never has
    }
  }
}
