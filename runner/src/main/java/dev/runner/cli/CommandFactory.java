package dev.runner.cli;

import picocli.CommandLine;

/** Creates commands that need the process {@link Environment}; everything else the default way. */
final class CommandFactory implements CommandLine.IFactory {
  private final Environment environment;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(Environment environment) {
    this.environment = environment;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    try {
      return cls.cast(cls.getDeclaredConstructor(Environment.class).newInstance(environment));
    } catch (NoSuchMethodException e) {
      return fallback.create(cls);
    }
  }
}
