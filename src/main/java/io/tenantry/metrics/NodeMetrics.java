package io.tenantry.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.EnumSet;

/**
 * One node's metrics registry, and the Vert.x instance that reports into it. Vert.x only measures what it was
 * built with, so the node's Vert.x is built here: SQL pool and worker pool use; JVM. HTTP server requests (by route
 * template, never the raw path, method and status class, with latency histograms of the fixed buckets below) are
 * measured by {@link HttpServerMeters}. Everything else (pools per tier, rate limiter, tenant cache, ...) is
 * registered on {@link #registry()} by {@link PlatformMeters}. A Vert.x built elsewhere (a test's) gets a
 * {@link #detached()} registry: the platform's meters, no HTTP ones.
 */
public final class NodeMetrics {
  /** Latency buckets: enough to see a p99 move, few enough to keep series per route small. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10)};

  private final PrometheusMeterRegistry registry;
  private final boolean vertxMeasured;

  private NodeMetrics(PrometheusMeterRegistry registry, boolean vertxMeasured) {
    this.registry = registry;
    this.vertxMeasured = vertxMeasured;
  }

  /** A registry for a Vert.x instance that {@link #vertx(VertxOptions)} then builds. */
  public static NodeMetrics create() {
    return new NodeMetrics(newRegistry(), true);
  }

  /** A registry for a Vert.x instance built without metrics: only the platform's own meters. */
  public static NodeMetrics detached() {
    return new NodeMetrics(newRegistry(), false);
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("vertx.http.server")) {
          return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos()).build().merge(config);
        }
        return config;
      }
    });
    return registry;
  }

  private static double[] nanos() {
    double[] slo = new double[BUCKETS.length];
    for (int i = 0; i < BUCKETS.length; i++) {
      slo[i] = BUCKETS[i].toNanos();
    }
    return slo;
  }

  /** The builder of this node's Vert.x, with metrics into this registry. */
  public VertxBuilder vertx(VertxOptions options) {
    options.setMetricsOptions(options());
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** A standalone Vert.x measured into this registry. */
  public Vertx standaloneVertx() {
    return vertx(new VertxOptions()).build();
  }

  private static MicrometerMetricsOptions options() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      // No remote address or pool name: each would give every tenant (or client) series of its own.
      .setLabels(EnumSet.of(Label.POOL_TYPE))
      // Only the data plane matters here; the event bus and the HTTP clients (JWKS) are not measured. The HTTP
      // server's requests are measured by HttpServerMeters, which resolves its meters once per route.
      .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
      .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
      .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
      .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
      .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    return options;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Whether Vert.x itself reports here (HTTP, pools, JVM), or only the platform's meters do. */
  public boolean vertxMeasured() {
    return vertxMeasured;
  }
}
