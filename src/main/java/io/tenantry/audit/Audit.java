package io.tenantry.audit;

import io.tenantry.admin.Delegation;
import io.tenantry.config.Config;
import io.tenantry.data.TenantDb;
import io.tenantry.settings.EffectiveConfigCache;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The audit log's services on a node: the log, its sealer, the best-effort writer, the hooks and the endpoints. */
public final class Audit {
  private final AuditLog log;
  private final AuditSealer sealer;
  private final AuditWriter writer;
  private final AuditHooks hooks;
  private final AuditEndpoints endpoints;
  private final AuditPruner pruner;

  private Audit(AuditLog log, AuditSealer sealer, AuditWriter writer, AuditHooks hooks, AuditEndpoints endpoints,
                AuditPruner pruner) {
    this.pruner = pruner;
    this.log = log;
    this.sealer = sealer;
    this.writer = writer;
    this.hooks = hooks;
    this.endpoints = endpoints;
  }

  public static Audit create(Vertx vertx, Config config, TenantDb db, TenantRegistry registry, Pool platform,
                             EffectiveConfigCache settings) {
    AuditLog log = new AuditLog(db);
    AuditSealer sealer = new AuditSealer(vertx, log, registry, platform, config.audit().sealIntervalMs());
    AuditWriter writer = new AuditWriter(vertx, log, platform, sealer, config.audit().queueSize());
    return new Audit(log, sealer, writer, new AuditHooks(writer, registry),
      new AuditEndpoints(new Delegation(registry), log, sealer, new PlatformAuditLog(platform)),
      new AuditPruner(vertx, config, registry, settings, platform));
  }

  public void start() {
    sealer.start();
    writer.start();
    pruner.start();
  }

  public Future<Void> stop() {
    sealer.stop();
    pruner.stop();
    return writer.stop();
  }

  public AuditPruner pruner() {
    return pruner;
  }

  public AuditLog log() {
    return log;
  }

  public AuditSealer sealer() {
    return sealer;
  }

  public AuditWriter writer() {
    return writer;
  }

  public AuditHooks hooks() {
    return hooks;
  }

  public AuditEndpoints endpoints() {
    return endpoints;
  }
}
