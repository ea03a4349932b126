package io.tenantry.provisioning;

import io.tenantry.colschema.SchemaSeeding;
import io.tenantry.data.TenantDb;
import io.tenantry.ratelimit.LimitOverride;
import io.tenantry.ratelimit.LimitsCache;
import io.tenantry.ratelimit.LimitsStore;
import io.tenantry.records.RecordStore;
import io.tenantry.settings.SettingsStore;
import io.tenantry.tenant.Tenant;
import io.tenantry.users.Invitations;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each provisioning step does. Every step is idempotent — it may run again after a crash or a failure in its
 * middle: the schema or database is created only if missing and migrations resume, values and schemas are upserts,
 * a seed record has an id derived from its place in the template and is inserted only if missing, and the first
 * admin is invited only if no invitation for that address exists. The blocking steps run on the provisioning workers.
 */
final class StepActions {
  /** The services the steps write through. */
  record Services(TenantProvisioner provisioner, SettingsStore settings, SchemaSeeding schemas, TenantDb tenantDb,
                  RecordStore records, LimitsStore limits, LimitsCache limitsCache, Invitations invitations) {
  }

  private static final String FIRST_ADMIN_ROLE = "tenant_admin";

  private final Services services;
  private final ProvisioningStore store;
  private final WorkerExecutor workers;

  StepActions(Services services, ProvisioningStore store, WorkerExecutor workers) {
    this.services = services;
    this.store = store;
    this.workers = workers;
  }

  Future<Void> run(ProvisioningStep step, Tenant tenant, ProvisioningSpec spec, int attempt) {
    return switch (step) {
      case TENANT_ROW -> Future.succeededFuture(); // the row exists: the job refers to it
      case HOME -> workers.executeBlocking(() -> {
        services.provisioner().createHome(tenant.id(), tenant.isolation(), tenant.database(), attempt == 1);
        return null;
      }, false);
      case MIGRATIONS -> workers.executeBlocking(() ->
          services.provisioner().migrateHome(tenant.id(), tenant.isolation(), tenant.database()), false)
        .compose(version -> store.migrated(tenant.id(), version));
      case CONFIGURATION -> configuration(tenant, spec.config());
      case COLLECTIONS -> collections(tenant, spec.collections());
      case SEED_RECORDS -> seed(tenant, spec.collections());
      case PLAN -> services.limits().update(tenant.id(), spec.plan(), LimitOverride.NONE)
        .onSuccess(v -> services.limitsCache().tenantChanged(tenant.id()));
      case FIRST_ADMIN -> store.invited(tenant.id(), spec.adminEmail()).compose(invited -> invited
        ? Future.succeededFuture()
        : services.invitations().invite(tenant, spec.adminEmail(), FIRST_ADMIN_ROLE, null).mapEmpty());
      case ACTIVATE -> store.activate(tenant.id());
    };
  }

  private Future<Void> configuration(Tenant tenant, JsonObject config) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Object> value : config) {
      chain = chain.compose(v -> services.settings().put(tenant.id(), value.getKey(), value.getValue()));
    }
    return chain;
  }

  private Future<Void> collections(Tenant tenant, List<ProvisioningSpec.Collection> collections) {
    Future<Void> chain = Future.succeededFuture();
    for (ProvisioningSpec.Collection collection : collections) {
      chain = chain.compose(v -> services.schemas().declare(tenant.id(), collection.name(), collection.schema()));
    }
    return chain;
  }

  private Future<Void> seed(Tenant tenant, List<ProvisioningSpec.Collection> collections) {
    return services.tenantDb().withTenant(tenant, conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (ProvisioningSpec.Collection collection : collections) {
        for (int i = 0; i < collection.records().size(); i++) {
          UUID id = seedId(tenant.id(), collection.name(), i);
          JsonObject data = collection.records().get(i);
          chain = chain.compose(v -> insertIfMissing(conn, tenant, collection.name(), id, data));
        }
      }
      return chain;
    });
  }

  private Future<Void> insertIfMissing(SqlConnection conn, Tenant tenant, String collection, UUID id, JsonObject data) {
    return services.records().get(conn, tenant, collection, id).compose(found -> found.isPresent()
      ? Future.succeededFuture() : services.records().insert(conn, tenant, collection, id, data, io.tenantry.audit.AuditActor.SYSTEM).mapEmpty());
  }

  /** The same record of the same tenant's template always gets the same id, so a re-run finds what it inserted. */
  static UUID seedId(UUID tenantId, String collection, int index) {
    return UUID.nameUUIDFromBytes((tenantId + "/" + collection + "/" + index).getBytes(StandardCharsets.UTF_8));
  }
}
