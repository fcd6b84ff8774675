package dev.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code runner --version}: the build's version plus the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/runner/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[]{
        "runner " + p.getProperty("version", "unknown"),
        "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
    };
  }
}
