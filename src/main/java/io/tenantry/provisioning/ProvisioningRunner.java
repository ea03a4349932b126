package io.tenantry.provisioning;

import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Runs a tenant's provisioning steps in order, from the first that is not done, recording each one's state, timing
 * and error. One run per tenant at a time across nodes and processes: the run holds the tenant's PostgreSQL advisory
 * lock (released with its connection, so a node killed in the middle leaves the lock free for the next run). A step
 * that fails stops the run and leaves the tenant 'provisioning' with the error recorded; running again resumes there.
 */
final class ProvisioningRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningRunner.class);

  /** Another node or process is provisioning this tenant right now. */
  static final class Busy extends RuntimeException {
    Busy(String slug) {
      super("tenant '" + slug + "' is being provisioned by another node or request right now");
    }
  }

  /** A step failed; it is recorded as failed with {@link #getMessage()}. */
  static final class StepFailed extends RuntimeException {
    final ProvisioningStep step;

    StepFailed(ProvisioningStep step, Throwable cause) {
      super(message(cause), cause);
      this.step = step;
    }
  }

  private final ProvisioningStore store;
  private final TenantStore tenants;
  private final TenantRegistry registry;
  private final TenantProvisioner provisioner;
  private final StepActions actions;
  private final WorkerExecutor workers;

  ProvisioningRunner(ProvisioningStore store, TenantStore tenants, TenantRegistry registry,
                     TenantProvisioner provisioner, StepActions actions, WorkerExecutor workers) {
    this.store = store;
    this.tenants = tenants;
    this.registry = registry;
    this.provisioner = provisioner;
    this.actions = actions;
    this.workers = workers;
  }

  /**
   * Runs what is left of the tenant's provisioning under its lock; answers the tenant afterwards. Fails with
   * {@link Busy}, {@link StepFailed}, or a 404 problem when the tenant is gone.
   */
  Future<Tenant> run(Tenant tenant) {
    return workers.executeBlocking(() -> provisioner.tryLock(tenant.id()), false)
      .compose(lock -> lock == null ? Future.failedFuture(new Busy(tenant.slug()))
        : runLocked(tenant.id()).eventually(() -> release(lock)));
  }

  /** Work on the tenant while holding its lock (a rollback that must not race a run). */
  <T> Future<T> locked(Tenant tenant, java.util.function.Supplier<Future<T>> work) {
    return workers.executeBlocking(() -> provisioner.tryLock(tenant.id()), false)
      .compose(lock -> lock == null ? Future.failedFuture(new Busy(tenant.slug()))
        : work.get().eventually(() -> release(lock)));
  }

  private Future<Tenant> runLocked(UUID tenantId) {
    // read fresh under the lock: another run may have finished it, or a delete removed it, meanwhile
    return tenants.byId(tenantId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Problem.notFound("unknown tenant"));
      }
      Tenant tenant = found.get();
      if (tenant.status() != Tenant.Status.PROVISIONING) {
        return Future.succeededFuture(tenant);
      }
      return store.spec(tenantId)
        .compose(spec -> spec.isPresent() ? Future.succeededFuture(spec.get())
          : store.createJob(tenantId, tenant.isolation(), ProvisioningSpec.NONE).map(ProvisioningSpec.NONE))
        .compose(spec -> store.steps(tenantId).compose(steps -> next(tenant, spec, steps, 0)))
        .compose(v -> tenants.byId(tenantId))
        .map(after -> after.orElse(tenant))
        .onSuccess(registry::changed);
    });
  }

  private Future<Void> next(Tenant tenant, ProvisioningSpec spec, List<ProvisioningStore.Recorded> steps, int i) {
    if (i == steps.size()) {
      return Future.succeededFuture();
    }
    ProvisioningStore.Recorded recorded = steps.get(i);
    if (recorded.finished()) {
      return next(tenant, spec, steps, i + 1);
    }
    ProvisioningStep step = recorded.step();
    return store.running(tenant.id(), step)
      .compose(attempt -> ProvisioningFaults.before(tenant.slug(), step, workers)
        .compose(v -> actions.run(step, tenant, spec, attempt)))
      .transform(ran -> ran.succeeded() ? store.done(tenant.id(), step) : failed(tenant, step, ran.cause()))
      .compose(v -> next(tenant, spec, steps, i + 1));
  }

  /**
   * Records the failure. A database that existed before this tenant is not Tenantry's: the tenant is removed at
   * once (never retried, which could take that database over), and nothing of it is dropped.
   */
  private Future<Void> failed(Tenant tenant, ProvisioningStep step, Throwable cause) {
    if (cause instanceof TenantProvisioner.DatabaseExistsException) {
      return tenants.delete(tenant.id()).onSuccess(v -> registry.changed(tenant))
        .transform(v -> Future.failedFuture(cause));
    }
    LOG.atWarn().addKeyValue("tenantId", tenant.id()).setCause(cause)
      .log("provisioning of {} failed at step {}", tenant.slug(), step.sql());
    return store.failed(tenant.id(), step, message(cause))
      .transform(v -> Future.failedFuture(new StepFailed(step, cause)));
  }

  private Future<Void> release(Connection lock) {
    return workers.executeBlocking(() -> {
      try {
        lock.close();
      } catch (SQLException e) {
        LOG.warn("closing a provisioning lock's connection: {}", e.getMessage()); // the server ends the session anyway
      }
      return null;
    }, false);
  }

  static String message(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
