package io.tenantry.colschema;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;


/**
 * /admin/v1/tenants/{slug}/collections[/{collection}]: a tenant's JSON Schema per records collection. For its
 * tenant_admin while the tenant is active, and for super-admins. Anyone else gets 403 whether or not the tenant
 * exists (a super-admin gets 404 for an unknown one).
 */
public final class CollectionSchemaEndpoints {
  static final int MAX_LISTED = 1_000;

  private final TenantRegistry registry;
  private final io.tenantry.admin.Delegation delegation;
  private final CollectionSchemaStore store;
  private final CompiledSchemas compiled;
  private final ExistingRecords existing;

  CollectionSchemaEndpoints(TenantStore tenants, TenantRegistry registry, CollectionSchemaStore store,
                            CompiledSchemas compiled, ExistingRecords existing) {
    this.registry = registry;
    this.delegation = new io.tenantry.admin.Delegation(tenants);
    this.store = store;
    this.compiled = compiled;
    this.existing = existing;
  }

  /**
   * Compiles the schema, then (unless {@code force=true}) refuses it while existing records of the collection
   * violate it; stores it and announces the change, which every node applies to its next write.
   */
  public void put(RoutingContext ctx) {
    JsonObject schema = ctx.body().asJsonObject().getJsonObject("schema");
    boolean force = "true".equals(ctx.request().getParam("force"));
    String collection = collection(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant -> compiled.compile(schema)
        .compose(validator -> force ? Future.succeededFuture(0L) : existing.countViolations(tenant, collection, validator))
        .compose(violations -> violations == 0 ? store.put(tenant.id(), collection, schema)
          : Future.failedFuture(Problem.of(409, "schema-conflict", "Existing records violate the schema",
              violations + " existing record" + (violations == 1 ? "" : "s") + " of collection " + collection
                + " do not match this schema; fix them, or PUT again with ?force=true to check only new writes")
            .withMembers(new JsonObject().put("violations", violations))))
        .onSuccess(saved -> changed(tenant))),
      saved -> Responses.json(ctx, saved.created() ? 201 : 200, saved.declared().toJson()));
  }

  public void get(RoutingContext ctx) {
    String collection = collection(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant -> store.get(tenant.id(), collection))
        .map(found -> found.orElseThrow(() -> Problem.notFound("collection " + collection + " has no schema"))),
      declared -> Responses.json(ctx, 200, declared.toJson()));
  }

  public void list(RoutingContext ctx) {
    Responses.when(ctx, administered(ctx).compose(tenant -> store.list(tenant.id(), MAX_LISTED)),
      all -> {
        JsonArray items = new JsonArray();
        all.forEach(declared -> items.add(declared.toJson()));
        Responses.json(ctx, 200, new JsonObject().put("items", items));
      });
  }

  public void delete(RoutingContext ctx) {
    String collection = collection(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant -> store.delete(tenant.id(), collection)
        .compose(deleted -> deleted ? Future.succeededFuture(tenant)
          : Future.failedFuture(Problem.notFound("collection " + collection + " has no schema")))
        .onSuccess(this::changed)),
      v -> Responses.noContent(ctx));
  }

  private void changed(Tenant tenant) {
    compiled.evict(tenant.id());
    registry.changed(tenant);
  }

  private static String collection(RoutingContext ctx) {
    return RecordEndpoints.collection(ctx);
  }

  /**
   * The tenant named in the path, if the caller administers it: a super-admin, or its tenant_admin while it is
   * active (suspension stops its admins too, whose tokens outlive it).
   */
  private Future<Tenant> administered(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return delegation.reached(caller, ctx.pathParam("slug")).compose(tenant -> {
      Problem archived = io.tenantry.tenant.ArchivedTenants.refusal(ctx, tenant);
      return archived != null ? Future.failedFuture(archived)
        : delegation.mayChange(caller, tenant, "its collection schemas");
    });
  }
}
