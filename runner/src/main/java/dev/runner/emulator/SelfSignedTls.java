package dev.runner.emulator;

import dev.runner.RunnerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throwaway self-signed certificate for {@code --tls}: an EC P-256 key for {@code localhost}, {@code 127.0.0.1},
 * {@code ::1} and the bind host, valid 7 days (from an hour ago, for clocks a little behind). Written in process as
 * DER ({@link Der}) and signed with the JDK's own ECDSA, since the JDK has no public API for making certificates and
 * starting {@code keytool}, another JVM, took longer than the rest of an emulator's start.
 *
 * @param key the private key
 * @param certificate the certificate, also the CA clients must trust
 */
record SelfSignedTls(PrivateKey key, X509Certificate certificate) {
  private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.objectIdentifier(1, 2, 840, 10045, 4, 3, 2));
  private static final byte[] COMMON_NAME = Der.objectIdentifier(2, 5, 4, 3);
  private static final byte[] SUBJECT_ALT_NAME = Der.objectIdentifier(2, 5, 29, 17);
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  static SelfSignedTls generate(String host) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      byte[] name = Der.sequence(Der.set(Der.sequence(COMMON_NAME, Der.utf8String("runner-emulator"))));
      byte[] tbs = Der.sequence(
          Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
          Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
          ECDSA_WITH_SHA256,
          name,
          Der.sequence(Der.utcTime(now.minus(Duration.ofHours(1))), Der.utcTime(now.plus(Duration.ofDays(7)))),
          name,
          pair.getPublic().getEncoded(), // already a DER SubjectPublicKeyInfo
          Der.explicit(3, Der.sequence(Der.sequence(SUBJECT_ALT_NAME, Der.octetString(subjectAltNames(host))))));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(tbs);
      byte[] der = Der.sequence(tbs, ECDSA_WITH_SHA256, Der.bitString(signer.sign()));
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      certificate.verify(pair.getPublic());
      return new SelfSignedTls(pair.getPrivate(), certificate);
    } catch (GeneralSecurityException | UnknownHostException e) {
      throw RunnerException.config("could not create the emulator's TLS certificate: " + e.getMessage(),
          "run without --tls", e);
    }
  }

  /** GeneralNames: localhost, the loopback addresses and {@code host} when it is another name or address. */
  private static byte[] subjectAltNames(String host) throws UnknownHostException {
    List<byte[]> names = new ArrayList<>();
    names.add(Der.implicitPrimitive(DNS_NAME, "localhost".getBytes(StandardCharsets.US_ASCII)));
    names.add(Der.implicitPrimitive(IP_ADDRESS, InetAddress.getByName("127.0.0.1").getAddress()));
    names.add(Der.implicitPrimitive(IP_ADDRESS, InetAddress.getByName("::1").getAddress()));
    boolean literal = host.matches("[0-9.]+") || host.contains(":");
    if (literal) {
      // a literal is parsed, never looked up
      byte[] address = InetAddress.getByName(host).getAddress();
      if (names.stream().noneMatch(n -> java.util.Arrays.equals(n, Der.implicitPrimitive(IP_ADDRESS, address)))) {
        names.add(Der.implicitPrimitive(IP_ADDRESS, address));
      }
    } else if (host.matches("[A-Za-z0-9.-]+") && !host.equalsIgnoreCase("localhost")) {
      names.add(Der.implicitPrimitive(DNS_NAME, host.getBytes(StandardCharsets.US_ASCII)));
    }
    return Der.sequence(names.toArray(byte[][]::new));
  }

  /** The certificate as PEM, what {@code --ca-out} writes and clients load as trust anchor. */
  String pem() {
    try {
      String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("certificate does not encode", e);
    }
  }

  void writePem(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, pem());
    } catch (IOException e) {
      throw RunnerException.config("could not write the emulator CA to " + file + ": " + e.getMessage(),
          "choose a writable --ca-out path", e);
    }
  }
}
