package dev.runner.transport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Proxies as the usual environment variables describe them, parsed once. {@code HTTPS_PROXY} serves {@code https} and
 * {@code wss} URLs, {@code HTTP_PROXY} serves {@code http} and {@code ws}; {@code NO_PROXY} lists hosts (or domain
 * suffixes, {@code *} for all) that connect directly.
 *
 * <p>Every target, plain {@code http}/{@code ws} included, is reached through the proxy with an HTTP {@code CONNECT}
 * tunnel (Reactor Netty's proxy handler), never by forwarding requests in absolute form: a proxy that allows
 * {@code CONNECT} to the port then carries WebSocket upgrades untouched. A proxy or gateway that forwards requests and
 * drops {@code Upgrade} shows up as a refused upgrade, which auto mode answers by falling back to HTTP.
 *
 * @param https proxy for TLS targets, or null
 * @param http proxy for plain targets, or null
 * @param noProxy host patterns that bypass the proxy
 */
public record ProxySettings(Endpoint https, Endpoint http, List<String> noProxy) {
  public static final ProxySettings NONE = new ProxySettings(null, null, List.of());

  public ProxySettings {
    noProxy = List.copyOf(noProxy);
  }

  /** A proxy host and port. */
  public record Endpoint(String host, int port) {}

  /**
   * Parses the variables' values (any may be null or blank).
   *
   * @throws IllegalArgumentException when a proxy value is not a URL with a host
   */
  public static ProxySettings fromEnvironment(String httpsProxy, String httpProxy, String noProxy) {
    List<String> hosts = new ArrayList<>();
    if (noProxy != null) {
      for (String h : noProxy.split(",")) {
        String t = h.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          hosts.add(t.startsWith(".") ? t.substring(1) : t);
        }
      }
    }
    return new ProxySettings(endpoint(httpsProxy), endpoint(httpProxy), hosts);
  }

  private static Endpoint endpoint(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.contains("://") ? value.trim() : "http://" + value.trim();
    URI uri = URI.create(v);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("proxy '" + uri.getScheme() + "://...' has no host");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    return new Endpoint(uri.getHost(), port);
  }

  /** The proxy for a target, or null when it connects directly. */
  public Endpoint forTarget(String host, boolean secure) {
    Endpoint p = secure ? https : http;
    return p == null || bypasses(host) ? null : p;
  }

  /** True when {@code NO_PROXY} names the host, a parent domain of it, or {@code *}. */
  public boolean bypasses(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String n : noProxy) {
      if (n.equals("*") || h.equals(n) || h.endsWith("." + n)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code NO_PROXY} list as the regular expression Reactor Netty's {@code nonProxyHosts} expects. */
  public String nonProxyHostsRegex() {
    List<String> parts = new ArrayList<>();
    for (String n : noProxy) {
      parts.add(n.equals("*") ? ".*" : "(.*\\.)?" + java.util.regex.Pattern.quote(n));
    }
    return String.join("|", parts);
  }

  @Override
  public String toString() {
    // proxy URLs may carry credentials in user-info; only host and port are kept, so this is safe to log
    return "ProxySettings[https=" + https + ", http=" + http + ", noProxy=" + noProxy + "]";
  }
}
