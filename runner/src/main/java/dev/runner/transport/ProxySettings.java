package dev.runner.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Proxies as the usual environment variables describe them, parsed once. {@code HTTPS_PROXY} serves {@code https} and
 * {@code wss} URLs, {@code HTTP_PROXY} serves {@code http} and {@code ws}; {@code NO_PROXY} lists the targets that
 * connect directly (see {@link NoProxy}).
 *
 * <p>Every target, plain {@code http}/{@code ws} included, is reached through the proxy with an HTTP {@code CONNECT}
 * tunnel (Reactor Netty's proxy handler), never by forwarding requests in absolute form: a proxy that allows
 * {@code CONNECT} to the port then carries WebSocket upgrades untouched. A proxy or gateway that forwards requests and
 * drops {@code Upgrade} shows up as a refused upgrade, which auto mode answers by falling back to HTTP.
 *
 * <p>Only {@code http://} proxy URLs (or a bare {@code host:port}) are accepted. Netty's proxy handler speaks plain
 * HTTP to the proxy, so an {@code https://} proxy (TLS to the proxy itself) would have its {@code CONNECT}, and the
 * credentials in it, sent in clear to a port that expects TLS; such a URL, and {@code socks*://}, are refused when
 * parsed rather than used as something else.
 *
 * @param https proxy for TLS targets, or null
 * @param http proxy for plain targets, or null
 * @param noProxy the targets that bypass the proxy
 */
public record ProxySettings(Endpoint https, Endpoint http, NoProxy noProxy) {
  public static final ProxySettings NONE = new ProxySettings(null, null, NoProxy.NONE);

  public ProxySettings {
    noProxy = noProxy == null ? NoProxy.NONE : noProxy;
  }

  /**
   * A proxy: where it is, which variable named it, and the percent-decoded credentials of its URL's user info (null
   * when it has none). {@link #toString()} leaves the credentials out.
   */
  public record Endpoint(String variable, String host, int port, String username, String password) {
    public Endpoint(String variable, String host, int port) {
      this(variable, host, port, null, null);
    }

    public boolean hasCredentials() {
      return username != null;
    }

    /** {@code host:port} for messages, bracketed for IPv6. */
    public String address() {
      return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
      return variable + "=http://" + (hasCredentials() ? "[REDACTED]@" : "") + address();
    }
  }

  /**
   * Parses the variables' values (any may be null or blank).
   *
   * @throws IllegalArgumentException naming the variable (value redacted) when a proxy is not an {@code http://} URL
   *     with a host, or a {@code NO_PROXY} entry is malformed
   */
  public static ProxySettings fromEnvironment(String httpsProxy, String httpProxy, String noProxy) {
    return new ProxySettings(endpoint("HTTPS_PROXY", httpsProxy), endpoint("HTTP_PROXY", httpProxy),
        NoProxy.parse(noProxy));
  }

  static Endpoint endpoint(String variable, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    int scheme = v.indexOf("://");
    String name = scheme < 0 ? "http" : v.substring(0, scheme).toLowerCase(java.util.Locale.ROOT);
    if (!name.equals("http")) {
      throw new IllegalArgumentException(variable + " is a " + name + ":// URL; only http:// proxies are supported ("
          + (name.equals("https")
              ? "TLS to the proxy itself is not implemented; most proxies also accept plain http:// on their port, "
                  + "and the tunnel to an https target is TLS end to end either way"
              : "the CONNECT tunnel is the only proxy protocol the runner speaks")
          + ")");
    }
    URI uri;
    try {
      uri = new URI(scheme < 0 ? "http://" + v : v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + " is not a valid URL (" + e.getReason() + " at index "
          + e.getIndex() + "); percent-encode @ : / % and spaces in the user name and password (@ as %40, % as %25)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(variable + " has no host; expected http://[USER:PASSWORD@]HOST:PORT");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 80;
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(variable, colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(variable, info.substring(colon + 1));
      if (user.indexOf(':') >= 0) {
        throw new IllegalArgumentException(variable + ": a user name may not contain ':' (HTTP Basic auth)");
      }
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(variable, host, port, user, password);
  }

  private static String decode(String variable, String s) {
    try {
      // URLDecoder would turn '+' into a space, which is form encoding, not a URL's user info
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // the decoder's own message quotes the text, which may be the password
      throw new IllegalArgumentException(variable + ": a '%' in the user name or password is not followed by two hex "
          + "digits; write '%' itself as %25");
    }
  }

  /** The proxy for a target, or null when it connects directly. */
  public Endpoint forTarget(String host, int port, boolean secure) {
    Endpoint p = secure ? https : http;
    return p == null || noProxy.matches(host, port) ? null : p;
  }

  @Override
  public String toString() {
    // the endpoints print without their credentials, so this is safe to log
    return "ProxySettings[https=" + https + ", http=" + http + ", noProxy=" + noProxy + "]";
  }
}
