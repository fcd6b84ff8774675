package dev.runner.transport;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A {@code NO_PROXY} list read as curl reads it, plus ports: entries separated by commas and/or spaces, compared
 * case-insensitively; {@code *} matches every host; a name matches itself and its subdomains, with or without a leading
 * dot ({@code .example.com} and {@code example.com} both match {@code example.com} and {@code a.example.com}); an IPv4
 * or IPv6 literal (bracketed or not) matches that address and a CIDR ({@code 10.0.0.0/8}, {@code ::1/128}) the
 * addresses in it, for targets given as IP literals only, since nothing is resolved; {@code host:port} (or
 * {@code [v6]:port}) matches that port only. Names never match IP targets and IP entries never match names, as in curl.
 * {@code *.example.com} is read as {@code .example.com}, as Go and most tools other than curl read it.
 *
 * <p>An entry that cannot be read (a port that is not a number, a CIDR prefix too long) is skipped and reported in
 * {@link #skipped()}, not fatal: {@code NO_PROXY} is shared by every tool of a CI job, and one entry another tool
 * understands must not stop a run that never needed it.
 *
 * @param entries the entries as parsed, in order
 * @param skipped one message per entry that could not be read
 */
public record NoProxy(List<Entry> entries, List<String> skipped) {
  public static final NoProxy NONE = new NoProxy(List.of(), List.of());

  public NoProxy {
    entries = List.copyOf(entries);
    skipped = List.copyOf(skipped);
  }

  /**
   * One entry. {@code port} is -1 for any port.
   *
   * @param name a lower-case domain without leading or trailing dot, or null for an address entry
   * @param address the network address bytes (4 or 16) of an IP entry, or null
   * @param prefix the CIDR prefix length of an IP entry (the full length for a single address)
   * @param all true for {@code *}
   */
  public record Entry(String name, byte[] address, int prefix, int port, boolean all) {
    /** True when this entry covers {@code host} (lower case, no brackets) at {@code port}. */
    boolean matches(String host, byte[] ip, int targetPort) {
      if (port >= 0 && port != targetPort) {
        return false;
      }
      if (all) {
        return true;
      }
      if (address != null) {
        return ip != null && ip.length == address.length && samePrefix(ip, address, prefix);
      }
      return ip == null && (host.equals(name) || host.endsWith("." + name));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && java.util.Objects.equals(name, e.name) && Arrays.equals(address, e.address)
          && prefix == e.prefix && port == e.port && all == e.all;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(name, Arrays.hashCode(address), prefix, port, all);
    }

    @Override
    public String toString() {
      String what = all ? "*" : name != null ? name : NetUtil.bytesToIpAddress(address) + "/" + prefix;
      return port < 0 ? what : what + ":" + port;
    }
  }

  /** Parses a {@code NO_PROXY} value (null or blank for none); never throws, see {@link #skipped()}. */
  public static NoProxy parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    List<Entry> out = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String raw : value.trim().split("[,\\s]+")) {
      if (!raw.isEmpty()) {
        try {
          out.add(entry(raw.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          skipped.add(e.getMessage());
        }
      }
    }
    return new NoProxy(out, skipped);
  }

  private static Entry entry(String raw) {
    String host = raw;
    int port = -1;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("NO_PROXY entry '" + raw + "' opens '[' without closing it");
      }
      String rest = host.substring(close + 1);
      if (rest.startsWith(":")) {
        port = port(raw, rest.substring(1));
      } else if (!rest.isEmpty() && !rest.startsWith("/")) {
        throw new IllegalArgumentException("NO_PROXY entry '" + raw + "': expected ':PORT' after ']'");
      }
      host = host.substring(1, close) + (rest.startsWith("/") ? rest : "");
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      // one colon: host:port (an IPv6 literal has at least two)
      port = port(raw, host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.equals("*")) {
      return new Entry(null, null, 0, port, true);
    }
    if (host.startsWith("*.")) {
      host = host.substring(1);
    }
    int slash = host.indexOf('/');
    String addressPart = slash < 0 ? host : host.substring(0, slash);
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(addressPart);
    if (ip != null) {
      int bits = ip.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        prefix = number(raw, host.substring(slash + 1), "CIDR prefix", bits);
      }
      return new Entry(null, mask(ip, prefix), prefix, port, false);
    }
    if (slash >= 0) {
      throw new IllegalArgumentException("NO_PROXY entry '" + raw + "': a /prefix needs an IP address before it");
    }
    String name = host.startsWith(".") ? host.substring(1) : host;
    name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return new Entry(name, null, 0, port, false);
  }

  private static int port(String raw, String text) {
    return number(raw, text, "port", 65535);
  }

  private static int number(String raw, String text, String what, int max) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("NO_PROXY entry '" + raw + "': the " + what + " '" + text
        + "' is not a number from 0 to " + max);
  }

  /** True when a target at {@code host} and {@code port} connects directly. */
  public boolean matches(String host, int port) {
    if (entries.isEmpty()) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
    for (Entry e : entries) {
      if (e.matches(h, ip, port)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] mask(byte[] ip, int prefix) {
    byte[] out = ip.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  private static boolean samePrefix(byte[] ip, byte[] network, int prefix) {
    return Arrays.equals(mask(ip, prefix), network);
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
