package dev.runner.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Files the tests read from {@code runner/src/test/resources} (on the test class path), so a fresh clone has
 * everything its tests need. A missing fixture is a broken checkout, not a reason to skip: it fails the test.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixture at {@code relative} (e.g. {@code conformance/captures/x.json}) as a file. */
  public static Path file(String relative) {
    URL url = Fixtures.class.getClassLoader().getResource(relative);
    if (url == null) {
      throw new AssertionError("test fixture " + relative + " is missing from runner/src/test/resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError("test fixture " + relative + " has no file path: " + url, e);
    }
  }
}
