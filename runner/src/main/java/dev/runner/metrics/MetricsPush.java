package dev.runner.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushes a run's meters to a Prometheus Pushgateway ({@code --metrics-push URL}) with the Prometheus Java client's
 * exporter: {@code PUT /metrics/job/JOB/LABEL/VALUE...}, replacing what the same job and grouping labels pushed
 * before. Under GitHub Actions the grouping labels name the repository, workflow and run, so runs do not overwrite
 * each other.
 */
public final class MetricsPush {
  /** Connect and read limits: a gateway that does not answer must not hold up the end of a CI step. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private MetricsPush() {}

  /**
   * @param url the gateway, {@code http(s)://host:port} with an optional path prefix
   * @throws IOException when the gateway is unreachable or refuses the push
   * @throws IllegalArgumentException when {@code url} is not an http(s) URL with a host
   */
  public static void push(String url, PrometheusMeterRegistry registry, String job, Map<String, String> grouping)
      throws IOException {
    URI uri = parse(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    PushGateway.Builder b = PushGateway.builder()
        .scheme("https".equals(uri.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
        .address(uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path).job(job)
        .registry(registry.getPrometheusRegistry()).connectionTimeout(TIMEOUT).readTimeout(TIMEOUT);
    grouping.forEach(b::groupingKey);
    b.build().push();
  }

  /** Checks {@code url} without pushing: for the checks before any work. */
  public static URI parse(String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getMessage(), e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' is not an http(s)://host:port URL");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("'" + url + "' has user info or a query, which the push does not use");
    }
    return uri;
  }

  /**
   * Grouping labels from the CI environment: {@code repository}, {@code workflow}, {@code run_id},
   * {@code run_attempt} from {@code GITHUB_*}; {@code ci_job_id} from GitLab's {@code CI_JOB_ID}. Empty elsewhere.
   */
  public static Map<String, String> groupingFrom(Map<String, String> env) {
    Map<String, String> labels = new LinkedHashMap<>();
    put(labels, "repository", env.get("GITHUB_REPOSITORY"));
    put(labels, "workflow", env.get("GITHUB_WORKFLOW"));
    put(labels, "run_id", env.get("GITHUB_RUN_ID"));
    put(labels, "run_attempt", env.get("GITHUB_RUN_ATTEMPT"));
    put(labels, "ci_job_id", env.get("CI_JOB_ID"));
    return labels;
  }

  private static void put(Map<String, String> labels, String name, String value) {
    if (value != null && !value.isBlank()) {
      labels.put(name, value);
    }
  }
}
