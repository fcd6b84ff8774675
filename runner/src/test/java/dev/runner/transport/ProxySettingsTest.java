package dev.runner.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  @Test
  void proxiesComeFromTheEnvironmentValuesAndNoProxyBypasses() {
    ProxySettings p = ProxySettings.fromEnvironment("http://user:pw@proxy.corp:3128", "proxy2:8080",
        "localhost,.internal.corp");
    assertThat(p.forTarget("api.openai.com", 443, true))
        .isEqualTo(new ProxySettings.Endpoint("HTTPS_PROXY", "proxy.corp", 3128, "user", "pw"));
    assertThat(p.forTarget("api.openai.com", 80, false))
        .isEqualTo(new ProxySettings.Endpoint("HTTP_PROXY", "proxy2", 8080));
    assertThat(p.forTarget("svc.internal.corp", 443, true)).isNull();
    assertThat(p.forTarget("localhost", 443, true)).isNull();
  }

  @Test
  void credentialsArePercentDecodedAndNeverPrinted() {
    ProxySettings.Endpoint e = ProxySettings.endpoint("HTTPS_PROXY",
        "http://corp%5Cjane:p%40ss%3Aw+rd%25@proxy.corp:3128");
    assertThat(e.username()).isEqualTo("corp\\jane");
    assertThat(e.password()).isEqualTo("p@ss:w+rd%");
    ProxySettings all = new ProxySettings(e, e, NoProxy.NONE);
    assertThat(all.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").doesNotContain("jane")
        .contains("HTTPS_PROXY=http://[REDACTED]@proxy.corp:3128");
    assertThat(e.toString()).doesNotContain("ss");
  }

  @Test
  void aUserWithoutPasswordAndTheDefaultPort() {
    ProxySettings.Endpoint e = ProxySettings.endpoint("HTTP_PROXY", "http://token@proxy.corp");
    assertThat(e.username()).isEqualTo("token");
    assertThat(e.password()).isEmpty();
    assertThat(e.port()).isEqualTo(80);
    assertThat(ProxySettings.endpoint("HTTP_PROXY", "http://[::1]:3128").host()).isEqualTo("::1");
    assertThat(ProxySettings.endpoint("HTTP_PROXY", "http://[::1]:3128").address()).isEqualTo("[::1]:3128");
  }

  @Test
  void anHttpsOrSocksProxyIsRefusedNamingTheVariableNotTheValue() {
    assertThatThrownBy(() -> ProxySettings.fromEnvironment("https://u:hunter22@proxy.corp:443", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTPS_PROXY is a https:// URL")
        .hasMessageContaining("only http:// proxies").hasMessageNotContaining("hunter22");
    assertThatThrownBy(() -> ProxySettings.fromEnvironment(null, "socks5://proxy.corp:1080", null))
        .hasMessageContaining("HTTP_PROXY is a socks5:// URL");
  }

  @Test
  void malformedValuesSayWhatIsWrongWithoutEchoingThePassword() {
    assertThatThrownBy(() -> ProxySettings.endpoint("HTTPS_PROXY", "http://u:bad%zzsecret@proxy:3128"))
        .hasMessageContaining("HTTPS_PROXY").hasMessageContaining("%25").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ProxySettings.endpoint("HTTPS_PROXY", "http://u:pa ss@proxy:3128"))
        .hasMessageContaining("HTTPS_PROXY is not a valid URL").hasMessageNotContaining("pa ss");
    assertThatThrownBy(() -> ProxySettings.endpoint("HTTPS_PROXY", "http://:3128"))
        .hasMessageContaining("HTTPS_PROXY has no host");
    assertThat(ProxySettings.fromEnvironment(null, null, "host:http").noProxy().skipped()).singleElement()
        .asString().contains("NO_PROXY entry 'host:http'");
  }

  @Test
  void noProxyPortsDecidePerTarget() {
    ProxySettings p = ProxySettings.fromEnvironment("proxy:3128", null, "api.corp:8443");
    assertThat(p.forTarget("api.corp", 8443, true)).isNull();
    assertThat(p.forTarget("api.corp", 443, true)).isNotNull();
  }
}
