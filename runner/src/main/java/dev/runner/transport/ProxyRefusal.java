package dev.runner.transport;

import io.netty.handler.proxy.ProxyConnectException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy's answer other than 2xx to the {@code CONNECT} that opens a tunnel, read back from the exception Netty's
 * proxy handler raises (its message is the only place the status travels: {@code "http, basic, PROXY => TARGET,
 * status: 407 Proxy Authentication Required"}). The proxy address there is a socket address, never the proxy URL, so
 * it carries no credentials.
 *
 * @param proxy the proxy's address as Netty printed it
 * @param target the tunnel's target, {@code host:port}
 * @param status the proxy's HTTP status
 * @param reason the status line's text after the code
 * @param credentialsSent whether a {@code Proxy-Authorization} went with the {@code CONNECT}
 */
public record ProxyRefusal(String proxy, String target, int status, String reason, boolean credentialsSent) {
  private static final Pattern MESSAGE = Pattern.compile(
      "^\\w+, (\\w+), (\\S+) => (\\S+), status: (\\d{3}) ?(.*)$");

  /** The refusal in {@code t}'s cause chain, or null when there is none. */
  public static ProxyRefusal of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ProxyConnectException && c.getMessage() != null) {
        Matcher m = MESSAGE.matcher(c.getMessage());
        if (m.matches()) {
          return new ProxyRefusal(address(m.group(2)), address(m.group(3)), Integer.parseInt(m.group(4)),
              m.group(5).trim(),
              !"none".equals(m.group(1)));
        }
      }
    }
    return null;
  }

  /** An InetSocketAddress as printed, {@code /1.2.3.4:80} or {@code name/1.2.3.4:80}, without the empty name. */
  private static String address(String printed) {
    return printed.startsWith("/") ? printed.substring(1) : printed;
  }

  /**
   * True when the proxy wants credentials or other ones: 407 as HTTP says, or 401, which some proxies (tinyproxy)
   * answer to a wrong password.
   */
  public boolean authentication() {
    return status == 407 || status == 401;
  }

  /** True when retrying cannot help: the proxy wants other credentials or forbids the target. */
  public boolean permanent() {
    return authentication() || status == 403;
  }

  /** What happened, for the error message. */
  public String describe() {
    return "the proxy at " + proxy + " refused to open a tunnel to " + target + ": " + status
        + (reason.isEmpty() ? "" : " " + reason) + (authentication()
            ? credentialsSent ? " (the credentials sent were not accepted)" : " (no credentials were sent)"
            : "");
  }

  /** What to do about it, for a tunnel to {@code url} (which decides the variable that named the proxy). */
  public String hint(String url) {
    String variable = url.startsWith("https:") || url.startsWith("wss:") ? "HTTPS_PROXY" : "HTTP_PROXY";
    if (authentication()) {
      return credentialsSent
          ? "check the user name and password in " + variable + "; percent-encode @ : / % and spaces in them, "
              + "e.g. p@ss as p%40ss"
          : "put the proxy's credentials in " + variable + " as http://USER:PASSWORD@HOST:PORT, percent-encoding "
              + "@ : / % in them";
    }
    return "the proxy's rules forbid a tunnel to " + target + " (allowed ports, destinations); ask its "
        + "administrators, or list the host in NO_PROXY if it can be reached directly";
  }
}
