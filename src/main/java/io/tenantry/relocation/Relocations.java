package io.tenantry.relocation;

import io.tenantry.config.Config;
import io.tenantry.export.TierConnections;
import io.tenantry.http.Problem;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.UUID;

/**
 * Online moves (POST /admin/v1/tenants/{slug}/relocations): a row per move in platform.relocation_jobs (phase,
 * rows copied, the measured write pause, the error), the work on the transfer workers (blocking JDBC), the old copy
 * removed {@code relocations.grace-seconds} after the switch. A move whose node stopped before the switch is marked
 * failed when that node starts again and its target copy removed; the tenant never left its old home.
 */
public final class Relocations {
  private static final Logger LOG = LoggerFactory.getLogger(Relocations.class);

  private final Vertx vertx;
  private final RelocationStore store;
  private final Relocator relocator;
  private final TenantProvisioner provisioner;
  private final WorkerExecutor workers;
  private final String node;
  private final Config.RelocationSettings settings;

  public Relocations(Vertx vertx, Pool pool, Config config, TenantProvisioner provisioner, ClusterGates gates,
                     TenantRegistry registry, WorkerExecutor workers, String node) {
    this.vertx = vertx;
    this.store = new RelocationStore(pool);
    this.settings = config.relocations();
    this.relocator = new Relocator(new TierConnections(config), provisioner, gates, store, registry, settings,
      new io.tenantry.records.indexes.IndexCopies(config));
    this.provisioner = provisioner;
    this.workers = workers;
    this.node = node;
  }

  /** Cleans up after moves this node was running when it stopped. */
  public Future<Void> start() {
    return store.orphaned(node).compose(jobs -> workers.executeBlocking(() -> {
      for (RelocationJob job : jobs) {
        if (placementOf(job, false).equals(relocator.current(job.tenantId()))) {
          // stopped between the switch and recording it: the move happened; only the old copy is left to remove
          LOG.warn("move {} of tenant {} switched before its node stopped", job.id(), job.tenantId());
          settleIndexes(job.id(), job.tenantId());
          removeOldCopyLater(job.id(), job.tenantId(), placementOf(job, true));
          continue;
        }
        LOG.warn("move {} of tenant {} was interrupted before its switch; removing its copy at {}", job.id(),
          job.tenantId(), job.to());
        relocator.removeCopy(job.tenantId(), placementOf(job, false));
      }
      return null;
    }, false)).compose(v -> store.switchedNotCleaned(node)).onSuccess(jobs -> jobs.forEach(job -> {
      settleIndexes(job.id(), job.tenantId()); // the settling after the switch may be what the stop interrupted
      removeOldCopyLater(job.id(), job.tenantId(), placementOf(job, true));
    })).<Void>mapEmpty()
      .onFailure(e -> LOG.warn("moves: cleaning up after interrupted moves did not run: {}", e.getMessage()));
  }

  /** Starts moving the tenant; answers the job as soon as it is recorded. */
  public Future<RelocationJob> begin(Tenant tenant, Isolation tier, DbTarget server) {
    Placement from = Placement.of(tenant);
    Placement to;
    try {
      to = target(tenant, tier, server);
    } catch (Problem p) {
      return Future.failedFuture(p);
    }
    if (tenant.status() == Tenant.Status.DELETED || tenant.status() == Tenant.Status.PROVISIONING) {
      return Future.failedFuture(Problem.conflict("tenant " + tenant.slug() + " is " + tenant.status().name()
        .toLowerCase(java.util.Locale.ROOT) + "; only an active, suspended or archived tenant can be moved"));
    }
    if (from.equals(to)) {
      return Future.failedFuture(Problem.conflict("tenant " + tenant.slug() + " already lives at " + to.describe()));
    }
    if (from.tier() == Isolation.DATABASE && to.tier() == Isolation.DATABASE && from.database().host().equals(to.database().host())
      && from.database().port() == to.database().port() && from.database().database().equals(to.database().database())) {
      return Future.failedFuture(Problem.conflict("tenant " + tenant.slug() + " already lives at " + to.describe()));
    }
    UUID id = UUID.randomUUID();
    return store.create(id, tenant.id(), node, from, to).onSuccess(job -> run(job, tenant, from, to));
  }

  public Future<RelocationJob> job(Tenant tenant, UUID id) {
    return store.byId(id, tenant.id()).map(found -> found.orElseThrow(() -> Problem.notFound("no move " + id + " of this tenant")));
  }

  /** Asks the move to stop; it does at its next step unless it already switched (then it runs to its end). */
  public Future<RelocationJob> cancel(Tenant tenant, UUID id) {
    return store.cancel(id, tenant.id()).map(found -> found.orElseThrow(() -> Problem.notFound("no move " + id + " of this tenant")));
  }

  private Placement target(Tenant tenant, Isolation tier, DbTarget server) {
    if (tier != Isolation.DATABASE) {
      if (server != null) {
        throw Problem.badRequest("target (host, port, name) is for isolation=database only");
      }
      return new Placement(tier, null);
    }
    DbTarget defaults = provisioner.defaultDatabase(tenant.id());
    if (server == null) {
      return new Placement(tier, defaults);
    }
    return new Placement(tier, new DbTarget(Objects.requireNonNullElse(server.host(), defaults.host()),
      server.port() == 0 ? defaults.port() : server.port(), Objects.requireNonNullElse(server.database(), defaults.database())));
  }

  private void run(RelocationJob job, Tenant tenant, Placement from, Placement to) {
    workers.executeBlocking(() -> relocator.move(job, tenant, from, to), false)
      .compose(pauseMs -> store.switched(job.id(), pauseMs).map(pauseMs))
      .onSuccess(pauseMs -> {
        LOG.atInfo().addKeyValue("tenantId", tenant.id()).log("moved tenant {} from {} to {}; writes paused {} ms",
          tenant.slug(), from.describe(), to.describe(), pauseMs);
        settleIndexes(job.id(), tenant.id());
        removeOldCopyLater(job.id(), tenant.id(), from);
      })
      .onFailure(e -> {
        boolean cancelled = e instanceof Relocator.Cancelled;
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.atWarn().addKeyValue("tenantId", tenant.id()).log("move {} of {} {}: {}", job.id(), tenant.slug(),
          cancelled ? "cancelled" : "failed", why);
        store.finished(job.id(), cancelled ? "cancelled" : "failed", cancelled ? null : why, null);
      });
  }

  /** The declared indexes where the tenant now lives, off the event loop; a failure is logged (statuses tell). */
  private void settleIndexes(UUID jobId, UUID tenantId) {
    workers.executeBlocking(() -> {
      relocator.settleIndexes(tenantId);
      return null;
    }, false).onFailure(e -> LOG.warn("move {}: the declared indexes of tenant {} were not settled at its new home: {}",
      jobId, tenantId, e.getMessage()));
  }

  private void removeOldCopyLater(UUID jobId, UUID tenantId, Placement old) {
    vertx.setTimer(Math.max(1, settings.graceSeconds() * 1000L), t -> workers.executeBlocking(() -> {
      relocator.retire(tenantId, old);
      return null;
    }, false).compose(v -> store.finished(jobId, "done", null, null))
      .onFailure(e -> LOG.warn("move {}: the old copy of tenant {} was not removed: {}", jobId, tenantId, e.getMessage())));
  }

  private static Placement placementOf(RelocationJob job, boolean source) {
    String described = source ? job.from() : job.to();
    String[] parts = described.split(" ", 2);
    Isolation tier = Isolation.parse(parts[0]);
    if (parts.length == 1) {
      return new Placement(tier, null);
    }
    String hostPort = parts[1].substring(0, parts[1].indexOf('/'));
    int colon = hostPort.lastIndexOf(':');
    return new Placement(tier, new DbTarget(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
      parts[1].substring(parts[1].indexOf('/') + 1)));
  }
}
