package io.tenantry.metering;

import io.tenantry.config.Config;
import io.tenantry.tenant.TenantRegistry;
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
  private long compactTimer = -1;

  private Metering(Vertx vertx, UsageMeter meter, UsageFlusher flusher, UsageCompactor compactor,
                   UsageEndpoints endpoints, ControlPlaneUsage controlPlane) {
    this.vertx = vertx;
    this.meter = meter;
    this.flusher = flusher;
    this.compactor = compactor;
    this.endpoints = endpoints;
    this.controlPlane = controlPlane;
  }

  public static Metering create(Vertx vertx, Config config, Pool pool, TenantRegistry registry) {
    Config.MeteringSettings settings = config.metering();
    UsageMeter meter = new UsageMeter(settings.enabled());
    return new Metering(vertx, meter, new UsageFlusher(vertx, pool, meter, settings.flushMs()),
      new UsageCompactor(pool, settings.retentionDays()), new UsageEndpoints(new UsageQuery(pool)),
      new ControlPlaneUsage(meter, registry));
  }

  public void start() {
    flusher.start();
    compactTimer = vertx.setPeriodic(COMPACT_EVERY_MS, id -> compactor.run(Instant.now())
      .onFailure(e -> LOG.warn("usage compaction failed, retried in an hour: {}", e.getMessage())));
  }

  /** Stores everything counted; the server runs it after HTTP has stopped, bounded like its other steps. */
  public Future<Void> stop() {
    if (compactTimer >= 0) {
      vertx.cancelTimer(compactTimer);
    }
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

  public ControlPlaneUsage controlPlane() {
    return controlPlane;
  }
}
