package dev.runner.cli;

import dev.runner.config.ConfigInput;
import dev.runner.config.TransportMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Options that shape the resolved configuration; shared by {@code exec} and {@code config}. */
final class ConfigOptions {
  String model;
  String profile;
  List<String> overrides = new ArrayList<>();
  String provider;
  TransportMode transport;
  boolean strictConfig;

  /** Adds these options to {@code spec}, bound to this object's fields. */
  void addTo(CommandSpec spec) {
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-m", "--model").paramLabel("MODEL").type(String.class)
        .description("Model to use (overrides config 'model')."), () -> model, v -> model = v).build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-p", "--profile").paramLabel("NAME").type(String.class)
        .description(
            "Config profile to apply on top of config.toml: $CODEX_HOME/NAME.config.toml (codex 0.169) and [profiles.NAME] tables."),
        () -> profile, v -> profile = v)
        .build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("-c", "--config").paramLabel("key=value").type(List.class)
        .auxiliaryTypes(String.class)
        .description(
            "Override a config value (repeatable). Dotted keys reach into tables; the value is parsed as TOML and else taken as a string: -c model=gpt-5 -c model_providers.x.supports_websockets=true -c 'model_providers.x.http_headers={a=\"b\"}'"),
        () -> overrides, v -> overrides = v)
        .build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("--provider").paramLabel("ID").type(String.class)
        .description("Model provider id (built-ins: openai, emulator; or [model_providers.ID] from config)."),
        () -> provider, v -> provider = v).build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("--transport").paramLabel("auto|websocket|http")
        .type(TransportMode.class)
        .description(
            "Transport for any provider, built-ins included (default: auto = websocket when the provider supports_websockets, else http). websocket forces it: a refused upgrade is then exit 4."),
        () -> transport, v -> transport = v)
        .build());
    spec.addOption(OptionBinding.bind(OptionSpec.builder("--strict-config").type(boolean.class)
        .description("Treat config keys the runner does not know as errors (default: ignored; listed with -v)."),
        () -> strictConfig, v -> strictConfig = v)
        .build());
  }

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
