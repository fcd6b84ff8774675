package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code NO_PROXY} as curl reads it, with ports. */
class NoProxyTest {
  @Test
  void emptyOrBlankMatchesNothing() {
    assertThat(NoProxy.parse(null).matches("localhost", 80)).isFalse();
    assertThat(NoProxy.parse("  , ,").matches("localhost", 80)).isFalse();
    assertThat(NoProxy.parse(" , ").entries()).isEmpty();
  }

  @Test
  void starMatchesEveryHost() {
    NoProxy n = NoProxy.parse("*");
    assertThat(n.matches("api.openai.com", 443)).isTrue();
    assertThat(n.matches("10.1.2.3", 80)).isTrue();
    assertThat(n.matches("[::1]", 80)).isTrue();
  }

  @Test
  void aDomainMatchesItselfAndSubdomainsWithOrWithoutLeadingDot() {
    for (String entry : new String[]{"example.com", ".example.com", "EXAMPLE.com."}) {
      NoProxy n = NoProxy.parse(entry);
      assertThat(n.matches("example.com", 443)).as(entry).isTrue();
      assertThat(n.matches("a.example.com", 443)).as(entry).isTrue();
      assertThat(n.matches("A.B.Example.COM", 443)).as(entry).isTrue();
      assertThat(n.matches("example.com.", 443)).as(entry).isTrue();
      assertThat(n.matches("notexample.com", 443)).as(entry).isFalse();
      assertThat(n.matches("example.com.evil", 443)).as(entry).isFalse();
    }
  }

  @Test
  void entriesAreSeparatedByCommasAndSpaces() {
    NoProxy n = NoProxy.parse(" localhost , .corp\t10.0.0.0/8  api.example:8443,");
    assertThat(n.entries()).hasSize(4);
    assertThat(n.matches("localhost", 1)).isTrue();
    assertThat(n.matches("x.corp", 1)).isTrue();
    assertThat(n.matches("10.9.8.7", 1)).isTrue();
    assertThat(n.matches("api.example", 8443)).isTrue();
  }

  @Test
  void aPortLimitsTheEntryToThatPort() {
    NoProxy n = NoProxy.parse("internal.corp:8443,127.0.0.1:9000,[::1]:7000");
    assertThat(n.matches("internal.corp", 8443)).isTrue();
    assertThat(n.matches("svc.internal.corp", 8443)).isTrue();
    assertThat(n.matches("internal.corp", 443)).isFalse();
    assertThat(n.matches("127.0.0.1", 9000)).isTrue();
    assertThat(n.matches("127.0.0.1", 9001)).isFalse();
    assertThat(n.matches("[::1]", 7000)).isTrue();
    assertThat(n.matches("::1", 7001)).isFalse();
  }

  @Test
  void ipv4LiteralsAndCidrsMatchIpTargets() {
    NoProxy n = NoProxy.parse("192.168.1.10,10.0.0.0/8,172.16.0.0/12");
    assertThat(n.matches("192.168.1.10", 443)).isTrue();
    assertThat(n.matches("192.168.1.11", 443)).isFalse();
    assertThat(n.matches("10.255.0.1", 443)).isTrue();
    assertThat(n.matches("11.0.0.1", 443)).isFalse();
    assertThat(n.matches("172.31.255.255", 443)).isTrue();
    assertThat(n.matches("172.32.0.0", 443)).isFalse();
  }

  @Test
  void ipv6LiteralsAndCidrsMatchIpTargetsBracketedOrNot() {
    NoProxy n = NoProxy.parse("::1/128,fd00::/8,[2001:db8::1]");
    assertThat(n.matches("[::1]", 443)).isTrue();
    assertThat(n.matches("0:0:0:0:0:0:0:1", 443)).isTrue();
    assertThat(n.matches("::2", 443)).isFalse();
    assertThat(n.matches("[fd12:3456::1]", 443)).isTrue();
    assertThat(n.matches("fe80::1", 443)).isFalse();
    assertThat(n.matches("2001:db8::1", 443)).isTrue();
    assertThat(n.matches("2001:db8::2", 443)).isFalse();
  }

  @Test
  void namesAndAddressesNeverMatchEachOther() {
    // nothing is resolved, as in curl: localhost is not 127.0.0.1
    assertThat(NoProxy.parse("localhost").matches("127.0.0.1", 80)).isFalse();
    assertThat(NoProxy.parse("127.0.0.0/8").matches("localhost", 80)).isFalse();
    assertThat(NoProxy.parse("10.0.0.1").matches("10.0.0.1.nip.io", 80)).isFalse();
    assertThat(NoProxy.parse("0.0.0.0/0").matches("203.0.113.5", 80)).isTrue();
    assertThat(NoProxy.parse("0.0.0.0/0").matches("::1", 80)).isFalse();
  }

  @Test
  void unreadableEntriesAreSkippedNamingTheEntryAndTheOthersStillApply() {
    NoProxy n = NoProxy.parse("host:99999,10.0.0.0/33,example.com/8,[::1,http://x.corp,good.corp");
    assertThat(n.entries()).hasSize(1);
    assertThat(n.matches("a.good.corp", 443)).isTrue();
    assertThat(n.skipped()).hasSize(5);
    assertThat(n.skipped().get(0)).contains("'host:99999'").contains("port");
    assertThat(n.skipped().get(1)).contains("CIDR prefix");
    assertThat(n.skipped().get(2)).contains("needs an IP address");
    assertThat(n.skipped().get(3)).contains("without closing");
    assertThat(n.skipped().get(4)).contains("'http://x.corp'");
  }

  @Test
  void aLeadingStarDotIsReadAsALeadingDot() {
    NoProxy n = NoProxy.parse("*.svc.cluster.local");
    assertThat(n.matches("api.ns.svc.cluster.local", 443)).isTrue();
    assertThat(n.matches("svc.cluster.local", 443)).isTrue();
    assertThat(n.matches("cluster.local", 443)).isFalse();
  }
}
