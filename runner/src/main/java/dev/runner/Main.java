package dev.runner;

import dev.runner.cli.RunnerCommand;
import dev.runner.logging.Slf4jProvider;

/** Process entry point: the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Picocli otherwise looks for Groovy's Closure class while it builds the command model: a failed lookup through
    // every jar on the class path, a sizeable share of start-up. We never use Groovy.
    System.setProperty("picocli.disable.closures", "true");
    // Netty's JFR events would initialize JFR's type system in every run for events nobody records.
    System.setProperty("io.netty.jfr.enabled", "false");
    // SLF4J otherwise finds its provider with a ServiceLoader scan of every jar on the class path; naming ours skips
    // it, and the note SLF4J prints about that is turned off.
    // A user's own -D (through RUNNER_JAVA_OPTS) wins.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", Slf4jProvider.class.getName());
    }
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    // Java's temporary files go to /tmp whatever TMPDIR says; CI runners point TMPDIR at a disk they clean (and a
    // user's quota). A user's own -Djava.io.tmpdir wins.
    String tmpdir = System.getenv("TMPDIR");
    if (tmpdir != null && !tmpdir.isBlank()
        && java.nio.file.Files.isDirectory(java.nio.file.Path.of(tmpdir))
        && "/tmp".equals(System.getProperty("java.io.tmpdir"))) {
      System.setProperty("java.io.tmpdir", tmpdir);
    }
    System.exit(RunnerCommand.execute(args));
  }
}
