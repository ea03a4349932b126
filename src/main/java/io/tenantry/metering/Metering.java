package io.tenantry.metering;

import io.tenantry.config.Config;
import io.tenantry.data.TenantDb;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** Usage metering on this node: the counters, their flusher, the compactor and the usage API (docs/billing.md). */
public final class Metering {
  private static final Logger LOG = LoggerFactory.getLogger(Metering.class);
  private static final long COMPACT_EVERY_MS = 3_600_000;

  private final Vertx vertx;
  private final UsageMeter meter;
  private final UsageFlusher flusher;
  private final UsageCompactor compactor;
  private final UsageEndpoints endpoints;
  private final ControlPlaneUsage controlPlane;
  private final GaugeSampler gauges;
  private long compactTimer = -1;

  private Metering(Vertx vertx, UsageMeter meter, UsageFlusher flusher, UsageCompactor compactor,
                   UsageEndpoints endpoints, ControlPlaneUsage controlPlane, GaugeSampler gauges) {
    this.vertx = vertx;
    this.meter = meter;
    this.flusher = flusher;
    this.compactor = compactor;
    this.endpoints = endpoints;
    this.controlPlane = controlPlane;
    this.gauges = gauges;
  }

  /** Tenants whose gauges are read at once by the hourly sampler. */
  private static final int SAMPLE_CONCURRENCY = 4;

  public static Metering create(Vertx vertx, Config config, Pool pool, TenantRegistry registry, TenantStore tenants,
                                TenantDb db) {
    Config.MeteringSettings settings = config.metering();
    UsageMeter meter = new UsageMeter(settings.enabled());
    return new Metering(vertx, meter, new UsageFlusher(vertx, pool, meter, settings.flushMs()),
      new UsageCompactor(pool, settings.retentionDays()), new UsageEndpoints(new UsageQuery(pool)),
      new ControlPlaneUsage(meter, registry), new GaugeSampler(vertx, pool, tenants, db, SAMPLE_CONCURRENCY));
  }

  public void start() {
    flusher.start();
    if (meter.enabled()) { // metering off: no samples either
      gauges.start();
    }
    compactTimer = vertx.setPeriodic(COMPACT_EVERY_MS, id -> compactor.run(Instant.now())
      .onFailure(e -> LOG.warn("usage compaction failed, retried in an hour: {}", e.getMessage())));
  }

  /** Stores everything counted; the server runs it after HTTP has stopped, bounded like its other steps. */
  public Future<Void> stop() {
    if (compactTimer >= 0) {
      vertx.cancelTimer(compactTimer);
    }
    gauges.stop();
    return flusher.stop();
  }

  public UsageMeter meter() {
    return meter;
  }

  public UsageFlusher flusher() {
    return flusher;
  }

  public UsageEndpoints endpoints() {
    return endpoints;
  }

  /** The hourly sampler of the gauge meters (records stored, storage files and bytes). */
  public GaugeSampler gauges() {
    return gauges;
  }

  public ControlPlaneUsage controlPlane() {
    return controlPlane;
  }
}
