package io.tenantry.provisioning;

import io.tenantry.http.Problem;
import io.tenantry.http.Uuids;
import io.tenantry.ratelimit.LimitsStore;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantInsert;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Tenant creation as recorded steps (docs/tenants.md#provisioning): the row and its job first, then the steps under
 * the tenant's lock, either before the answer (the default) or after it (Prefer: respond-async). Also the retry, the
 * rollback of a tenant that never finished, its progress as JSON, and the resumption of unfinished tenants at start.
 */
public final class Provisioning {
  private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);
  /** DDL and Flyway of tenants being provisioned; kept off the shared worker pool that validates requests. */
  private static final int WORKERS = 4;

  /** A tenant to create: where it lives and what its steps build. */
  public record NewTenant(String slug, String name, Isolation isolation, DbTarget database, ProvisioningSpec spec) {
  }

  private final TenantStore tenants;
  private final TenantRegistry registry;
  private final TenantProvisioner provisioner;
  private final TenantLifecycle lifecycle;
  private final LimitsStore limits;
  private final ProvisioningStore store;
  private final ProvisioningRunner runner;
  private final WorkerExecutor workers;

  public Provisioning(Vertx vertx, Pool pool, TenantStore tenants, TenantRegistry registry,
                      TenantProvisioner provisioner, TenantLifecycle lifecycle, StepServices services) {
    this.tenants = tenants;
    this.registry = registry;
    this.provisioner = provisioner;
    this.lifecycle = lifecycle;
    this.limits = services.limits();
    this.store = new ProvisioningStore(pool);
    this.workers = vertx.createSharedWorkerExecutor("tenantry-provisioning", WORKERS, 30, TimeUnit.MINUTES);
    this.runner = new ProvisioningRunner(store, tenants, registry, provisioner,
      new StepActions(services.actions(provisioner), store, workers), workers);
  }

  /** The services the steps write through (everything but the provisioner, which this class makes). */
  public record StepServices(io.tenantry.settings.SettingsStore settings, io.tenantry.colschema.SchemaSeeding schemas,
                             io.tenantry.data.TenantDb tenantDb, io.tenantry.records.RecordStore records,
                             LimitsStore limits, io.tenantry.ratelimit.LimitsCache limitsCache,
                             io.tenantry.users.Invitations invitations) {
    StepActions.Services actions(TenantProvisioner provisioner) {
      return new StepActions.Services(provisioner, settings, schemas, tenantDb, records, limits, limitsCache, invitations);
    }
  }

  /** Creates the tenant and runs every step before answering: active, or a problem (the tenant kept, for a retry). */
  public Future<Tenant> create(NewTenant request, TenantInsert insert) {
    return begin(request, insert).compose(tenant -> runner.run(tenant).recover(e -> Future.failedFuture(problem(tenant, e))));
  }

  /** Creates the row and the job and answers at once ('provisioning'); the steps run after the answer. */
  public Future<Tenant> createAsync(NewTenant request, TenantInsert insert) {
    return begin(request, insert).onSuccess(tenant -> runner.run(tenant)
      .onFailure(e -> LOG.info("provisioning of {} stopped: {}", tenant.slug(), e.getMessage())));
  }

  private Future<Tenant> begin(NewTenant request, TenantInsert insert) {
    UUID id = Uuids.v7();
    DbTarget database = request.isolation() != Isolation.DATABASE ? null
      : request.database() != null ? request.database() : provisioner.defaultDatabase(id);
    return planExists(request.spec().plan())
      .compose(v -> insert.insert(id, request.slug(), request.name(), request.isolation(), database))
      .compose(tenant -> store.createJob(id, tenant.isolation(), request.spec()).map(tenant)
        // a row without its job would be resumed with nothing of what was asked: remove it instead
        .recover(e -> tenants.delete(id).transform(ignored -> Future.failedFuture(e))))
      .onSuccess(registry::changed);
  }

  private Future<Void> planExists(String plan) {
    if (plan == null) {
      return Future.succeededFuture();
    }
    return limits.plan(plan).compose(found -> found.isPresent() ? Future.succeededFuture()
      : Future.failedFuture(Problem.of(422, "unknown-plan", "Unknown plan", "there is no plan named '" + plan
        + "'; GET /admin/v1/plans lists them").withMembers(new JsonObject().put("pointer", "/plan"))));
  }

  /** Resumes a tenant still 'provisioning' from its first step that is not done. */
  public Future<Tenant> retry(Tenant tenant) {
    if (tenant.status() != Tenant.Status.PROVISIONING) {
      return Future.failedFuture(Problem.of(409, "not-provisioning", "Tenant is provisioned",
        "tenant '" + tenant.slug() + "' is " + tenant.status().sql() + "; only a tenant still provisioning is retried"));
    }
    return runner.run(tenant).recover(e -> Future.failedFuture(problem(tenant, e)));
  }

  /**
   * Removes a tenant that never finished provisioning, with whatever of its home exists, under its lock (so no run
   * is building it meanwhile).
   */
  public Future<Void> rollback(Tenant tenant) {
    return runner.locked(tenant, () -> tenants.byId(tenant.id()).compose(now -> {
        if (now.isEmpty()) {
          return Future.succeededFuture();
        }
        if (now.get().status() != Tenant.Status.PROVISIONING) {
          return Future.failedFuture(Problem.of(409, "not-provisioning", "Tenant is provisioned",
            "tenant '" + tenant.slug() + "' finished provisioning meanwhile; delete it again"));
        }
        return lifecycle.delete(now.get());
      }))
      .recover(e -> Future.failedFuture(e instanceof ProvisioningRunner.Busy busy
        ? Problem.conflict(busy.getMessage() + "; delete it once that run has finished or failed") : e));
  }

  /** The tenant's steps; errors (which can name servers) only for super-admins. */
  public Future<JsonObject> view(Tenant tenant, boolean withErrors) {
    return store.steps(tenant.id()).map(steps -> {
      JsonArray items = new JsonArray();
      steps.forEach(step -> items.add(step.toJson(withErrors)));
      return new JsonObject().put("tenant", tenant.slug()).put("status", tenant.status().sql()).put("steps", items);
    });
  }

  /**
   * At node start: runs every tenant left 'provisioning' whose lock is free (a node died in its middle, or a step
   * failed). On a cluster each node tries; the lock lets one of them run each tenant and the others skip it.
   */
  public Future<Void> resumeUnfinished() {
    return store.unfinished().compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> tenants.byId(id))
          .compose(found -> found.isEmpty() ? Future.succeededFuture() : runner.run(found.get())
            .onSuccess(t -> LOG.info("resumed the provisioning of {}: {}", t.slug(), t.status().sql()))
            .<Void>mapEmpty()
            .recover(e -> {
              LOG.info("provisioning of tenant {} not resumed here: {}", id, e.getMessage());
              return Future.succeededFuture();
            }));
      }
      return chain;
    });
  }

  public Future<Void> close() {
    return workers.close();
  }

  private static Throwable problem(Tenant tenant, Throwable e) {
    if (e instanceof TenantProvisioner.DatabaseExistsException exists) {
      return Problem.conflict(exists.getMessage() + "; name a new database");
    }
    if (e instanceof ProvisioningRunner.Busy busy) {
      return Problem.conflict(busy.getMessage() + "; follow it at GET /admin/v1/tenants/" + tenant.slug() + "/provisioning");
    }
    if (e instanceof ProvisioningRunner.StepFailed failed) {
      return Problem.of(503, "provisioning-failed", "Provisioning failed", "tenant '" + tenant.slug()
          + "' stopped at step " + failed.step.sql() + " and stays provisioning; GET /admin/v1/tenants/" + tenant.slug()
          + "/provisioning shows its steps, POST .../provisioning/retry resumes it, DELETE removes it")
        .withMembers(new JsonObject().put("step", failed.step.sql()).put("tenant", tenant.slug()));
    }
    return e;
  }
}
