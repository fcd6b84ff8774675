package dev.runner.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulator's in-process certificate, parsed back by the JDK's own X.509 reader. */
class SelfSignedTlsTest {
  private static List<String> altNames(X509Certificate c) throws Exception {
    Collection<List<?>> names = c.getSubjectAlternativeNames();
    assertThat(names).isNotNull();
    return names.stream().map(n -> n.get(0) + ":" + n.get(1)).toList();
  }

  @Test
  void aLoopbackCertificateNamesLocalhostAndBothLoopbackAddresses() throws Exception {
    X509Certificate c = SelfSignedTls.generate("127.0.0.1").certificate();
    assertThat(altNames(c)).containsExactly("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=runner-emulator");
    c.verify(c.getPublicKey());
    c.checkValidity(new Date());
    c.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(6))));
    assertThat(c.getNotAfter()).isBefore(Date.from(Instant.now().plus(Duration.ofDays(8))));
  }

  @Test
  void anotherBindHostIsNamedToo() throws Exception {
    assertThat(altNames(SelfSignedTls.generate("10.1.2.3").certificate())).endsWith("7:10.1.2.3");
    assertThat(altNames(SelfSignedTls.generate("emulator.internal").certificate())).endsWith("2:emulator.internal");
    assertThat(altNames(SelfSignedTls.generate("localhost").certificate())).hasSize(3);
  }

  @Test
  void everyCertificateHasItsOwnKeyAndSerial() {
    X509Certificate a = SelfSignedTls.generate("127.0.0.1").certificate();
    X509Certificate b = SelfSignedTls.generate("127.0.0.1").certificate();
    assertThat(a.getSerialNumber()).isPositive().isNotEqualTo(b.getSerialNumber());
    assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
    assertThat(SelfSignedTls.generate("127.0.0.1").pem()).startsWith("-----BEGIN CERTIFICATE-----\n");
  }
}
