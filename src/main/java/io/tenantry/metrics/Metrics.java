package io.tenantry.metrics;

import io.tenantry.cluster.Membership;
import io.tenantry.config.Config;
import io.tenantry.http.RequestObserver;
import io.tenantry.pool.TenantPools;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

/**
 * A node's metrics: its registry ({@link NodeMetrics}), the platform's meters, the busiest tenants' series, the
 * event-loop probes and the job counts, and the GET /metrics endpoint ({@link MetricsEndpoint}). Scrapes are
 * rendered on a worker thread of their own: a large registry's text takes milliseconds of CPU.
 */
public final class Metrics implements RequestObserver {
  private final Vertx vertx;
  private final NodeMetrics node;
  private final TopTenants topTenants;
  private final EventLoopLag lag;
  private final JobMeters jobs;
  private final WorkerExecutor scrapes;
  private final MetricsEndpoint endpoint;
  private final HttpServerMeters http;
  private final long topTimer;
  private java.util.List<io.micrometer.core.instrument.Meter> platformMeters = java.util.List.of();

  private Metrics(Vertx vertx, NodeMetrics node, Config.MetricsSettings settings, Pool pool) {
    this.vertx = vertx;
    this.node = node;
    this.topTenants = new TopTenants(node.registry(), settings.topTenants());
    this.lag = new EventLoopLag(node.registry());
    this.jobs = new JobMeters(node.registry(), pool);
    this.scrapes = vertx.createSharedWorkerExecutor("tenantry-metrics-scrape", 1);
    this.endpoint = new MetricsEndpoint(node.registry(), scrapes, settings);
    this.http = node.vertxMeasured() ? new HttpServerMeters(node.registry()) : null;
    this.topTimer = vertx.setPeriodic(settings.topTenantsIntervalSeconds() * 1000L, id -> topTenants.recompute());
  }

  public static Metrics start(Vertx vertx, NodeMetrics node, Config.MetricsSettings settings, Pool pool,
                              TenantPools pools, RateLimiting rateLimiting, TenantRegistry tenants, Membership membership) {
    Metrics metrics = new Metrics(vertx, node, settings, pool);
    metrics.platformMeters = PlatformMeters.register(node.registry(), pools, rateLimiting, tenants, membership);
    metrics.lag.start(vertx);
    metrics.jobs.start(vertx);
    return metrics;
  }

  public MetricsEndpoint endpoint() {
    return endpoint;
  }

  public NodeMetrics node() {
    return node;
  }

  public TopTenants topTenants() {
    return topTenants;
  }

  /**
   * Measures the request (HTTP series, when this node's Vert.x reports here) and counts its tenant, when it has
   * one, towards the busiest tenants once its response is sent.
   */
  @Override
  public void entered(io.vertx.ext.web.RoutingContext ctx) {
    if (http != null) {
      http.entered();
    }
  }

  @Override
  public void ended(io.vertx.ext.web.RoutingContext ctx, boolean sent, long nanos) {
    if (http != null) {
      http.ended(ctx, sent, nanos);
    }
    if (sent) {
      Tenant tenant = Tenant.of(ctx);
      if (tenant != null) {
        topTenants.request(tenant.id());
      }
    }
  }

  /** The handler that names a route for the HTTP series, or none (this node's Vert.x is not measured here). */
  public java.util.Optional<io.vertx.core.Handler<io.vertx.ext.web.RoutingContext>> routed(
    io.vertx.openapi.contract.Operation operation) {
    return http == null ? java.util.Optional.empty() : java.util.Optional.of(http.routed(operation));
  }

  public Future<Void> stop() {
    vertx.cancelTimer(topTimer);
    lag.stop();
    jobs.stop(vertx);
    PlatformMeters.remove(node.registry(), platformMeters);
    return scrapes.close();
  }
}
