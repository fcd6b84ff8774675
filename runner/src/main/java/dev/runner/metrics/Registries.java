package dev.runner.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry a run records into. Prometheus text (a {@code --metrics} file or a push) comes from Micrometer's
 * Prometheus registry; a run that needs no Prometheus output records into the simple registry and never loads the
 * Prometheus client's classes, which would add to every run's start-up.
 */
public final class Registries {
  private Registries() {}

  public static MeterRegistry forRun(boolean prometheus) {
    return prometheus ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
  }
}
