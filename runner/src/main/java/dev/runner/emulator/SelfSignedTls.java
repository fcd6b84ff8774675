package dev.runner.emulator;

import dev.runner.RunnerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed certificate for {@code --tls}, made with the JDK's own {@code keytool} (no extra crypto
 * library): an EC P-256 key for {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the bind host, valid 7 days.
 *
 * @param key the private key
 * @param certificate the certificate, also the CA clients must trust
 */
record SelfSignedTls(PrivateKey key, X509Certificate certificate) {
  private static final char[] PASSWORD = "emulator".toCharArray();

  static SelfSignedTls generate(String host) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("runner-emulator-tls");
      Path store = dir.resolve("emulator.p12");
      String san = "dns:localhost,ip:127.0.0.1,ip:::1" + (host.matches("[0-9.]+") && !host.equals("127.0.0.1")
          ? ",ip:" + host
          : host.matches("[A-Za-z0-9.-]+") && !host.equals("localhost") ? ",dns:" + host : "");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "emulator", "-keyalg",
          "EC", "-groupname", "secp256r1", "-dname", "CN=runner-emulator", "-ext", "SAN=" + san, "-validity", "7",
          "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass",
          new String(PASSWORD))).redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile())
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException("keytool exited " + p.exitValue() + ": "
            + Files.readString(dir.resolve("keytool.log")).strip());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD);
      }
      return new SelfSignedTls((PrivateKey) ks.getKey("emulator", PASSWORD),
          (X509Certificate) ks.getCertificate("emulator"));
    } catch (IOException | GeneralSecurityException e) {
      throw RunnerException.config("could not create the emulator's TLS certificate with keytool: " + e.getMessage(),
          "run without --tls, or check that $JAVA_HOME/bin/keytool exists", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerException.config("interrupted while creating the emulator's TLS certificate", null, e);
    } finally {
      deleteQuietly(dir);
    }
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

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover temp dir holds only a throwaway key for a loopback test server
    }
  }
}
