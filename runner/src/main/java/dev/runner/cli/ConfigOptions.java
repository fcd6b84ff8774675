package dev.runner.cli;

import dev.runner.config.ConfigInput;
import dev.runner.config.TransportMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options that shape the resolved configuration; shared by {@code exec} and {@code config}. */
final class ConfigOptions {
  @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "Model to use (overrides config 'model').")
  String model;

  @Option(names = {"-p",
      "--profile"}, paramLabel = "NAME", description = "Config profile [profiles.NAME] to apply on top of config.toml.")
  String profile;

  @Option(names = {"-c",
      "--config"}, paramLabel = "key=value", description = "Override a config value (repeatable). Dotted keys reach into tables; the value is parsed as TOML and else taken as a string: -c model=gpt-5 -c model_providers.x.supports_websockets=true -c 'model_providers.x.http_headers={a=\"b\"}'")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--provider", paramLabel = "ID", description = "Model provider id (built-ins: openai, emulator; or [model_providers.ID] from config).")
  String provider;

  @Option(names = "--transport", paramLabel = "auto|websocket|http", description = "Transport for any provider, built-ins included (default: auto = websocket when the provider supports_websockets, else http). websocket forces it: a refused upgrade is then exit 4.")
  TransportMode transport;

  @Option(names = "--strict-config", description = "Treat config keys the runner does not know as errors (default: ignored; listed with -v).")
  boolean strictConfig;

  /** What the config package needs from these options and the process environment. */
  ConfigInput toInput(Environment environment) {
    return new ConfigInput(
        environment.variables(),
        environment.home(),
        environment.workingDirectory(),
        Optional.ofNullable(model),
        Optional.ofNullable(profile),
        Optional.ofNullable(provider),
        Optional.ofNullable(transport),
        overrides,
        strictConfig);
  }
}
