package dev.runner.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process CLI invocation as a shell would see it: exit code, stdout and stderr. Tests build the environment
 * (variables, working directory, home) instead of touching the real process's.
 */
record CliRun(int exit, String out, String err) {
  /** An environment with {@code variables}, a closed terminal stdin, {@code cwd} and {@code home}. */
  static Environment environment(Map<String, String> variables, Path cwd, Path home) {
    return new Environment(variables, new ByteArrayInputStream(new byte[0]), true, cwd, home, 0);
  }

  static CliRun of(Environment environment, String... args) {
    CommandLine cl = RunnerCommand.commandLine(environment);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
